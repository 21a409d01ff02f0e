package io.brook.broker.log;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.utils.internals.ByteBufferUnmapper;

/**
 * A sparse, memory-mapped index of fixed-size entries sorted by key, beside one segment.
 *
 * <p>File layout: {@code entries * entrySize()} bytes, no header. A new index file is
 * pre-allocated to {@code maxIndexSize} bytes (rounded down to whole entries) and mapped once;
 * it is trimmed to its valid entries when its segment stops being the active one and when it is
 * closed. An index that was not trimmed (the broker crashed) has zeros after its last entry; such
 * an index is not trusted: {@link #isSane()} fails and recovery rebuilds it from the segment.
 *
 * <p>Threading: one writer (the partition's writer) calls {@link #append}, {@link #truncateTo},
 * {@link #trimToValidSize} and {@link #close}. Lookups are thread-safe and never block an append:
 * an append writes the entry first and then publishes it by raising the volatile entry count. Only
 * truncation and resizing, which move entries readers may be looking at, take the write lock.
 */
abstract class AbstractIndex implements Closeable {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile File file;
    protected final long baseOffset;
    private final int maxIndexSize;
    private MappedByteBuffer mmap;
    private volatile int entries;
    private int maxEntries;

    protected AbstractIndex(File file, long baseOffset, int maxIndexSize) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.maxIndexSize = maxIndexSize;
        boolean newlyCreated = !file.exists() || file.length() == 0;
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            if (newlyCreated) {
                raf.setLength(roundDownToEntry(maxIndexSize));
            }
            long length = raf.length();
            this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
            this.maxEntries = (int) (length / entrySize());
            // An existing file holds as many entries as fit in it; a file left untrimmed by a
            // crash has zero entries at its end, which isSane() detects.
            this.entries = newlyCreated ? 0 : maxEntries;
        }
    }

    /** Bytes per entry. */
    protected abstract int entrySize();

    /** The key (an offset or a timestamp) of entry {@code n}. */
    protected abstract long keyAt(MappedByteBuffer buffer, int n);

    /** The mapping; fails once the index is closed, so that a late reader gets an error, not a crash. */
    private MappedByteBuffer mapped() {
        MappedByteBuffer buffer = mmap;
        if (buffer == null) {
            throw new KafkaStorageException("index " + file + " is closed");
        }
        return buffer;
    }

    private int roundDownToEntry(int size) {
        return size - size % entrySize();
    }

    public File file() {
        return file;
    }

    public int entries() {
        return entries;
    }

    public boolean isFull() {
        return entries >= maxEntries;
    }

    public long sizeInBytes() {
        return (long) entries * entrySize();
    }

    /**
     * Appends the entry whose bytes {@code writer} puts at {@code position}, then publishes it.
     * Writer only.
     */
    protected final void appendEntry(EntryWriter writer) {
        int n = entries;
        if (n >= maxEntries) {
            throw new IllegalStateException("index " + file + " is full (" + n + " entries)");
        }
        writer.write(mmap, n * entrySize());
        entries = n + 1;
    }

    @FunctionalInterface
    protected interface EntryWriter {
        void write(MappedByteBuffer buffer, int position);
    }

    /**
     * The slot of the largest entry whose key is at most {@code target}, or -1 when every key is
     * larger (or the index is empty). Thread-safe.
     */
    protected final int largestLowerBoundSlot(long target) {
        lock.readLock().lock();
        try {
            MappedByteBuffer buffer = mapped();
            int hi = entries - 1;
            if (hi < 0 || keyAt(buffer, 0) > target) {
                return -1;
            }
            int lo = 0;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (keyAt(buffer, mid) <= target) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Reads entry {@code slot} under the read lock so that a truncation cannot move it. */
    protected final <T> T readEntry(int slot, EntryReader<T> reader) {
        lock.readLock().lock();
        try {
            return reader.read(mapped(), slot * entrySize());
        } finally {
            lock.readLock().unlock();
        }
    }

    @FunctionalInterface
    protected interface EntryReader<T> {
        T read(MappedByteBuffer buffer, int position);
    }

    /** Removes every entry whose key is at least {@code key}. Writer only. */
    protected final void truncateToKey(long key) {
        int slot = largestLowerBoundSlot(key);
        if (slot < 0) {
            truncateToEntries(0);
        } else {
            truncateToEntries(keyAt(mapped(), slot) == key ? slot : slot + 1);
        }
    }

    /** Keeps the first {@code keep} entries. Writer only. */
    protected final void truncateToEntries(int keep) {
        lock.writeLock().lock();
        try {
            entries = Math.min(entries, keep);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes every entry. Writer only. */
    public void reset() throws IOException {
        lock.writeLock().lock();
        try {
            entries = 0;
            resize(maxIndexSize);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Checks that the entries are strictly increasing and that the file holds whole entries;
     * an index left untrimmed by a crash ends in zero entries and fails.
     */
    public boolean isSane() {
        MappedByteBuffer buffer = mmap;
        int n = entries;
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long key = keyAt(buffer, i);
            if (key <= previous || !entryIsSane(buffer, i)) {
                return false;
            }
            previous = key;
        }
        return file.length() % entrySize() == 0;
    }

    /** Further per-entry checks of a subclass (relative offsets at least the base offset, ...). */
    protected boolean entryIsSane(MappedByteBuffer buffer, int n) {
        return true;
    }

    /** Grows the file back to its pre-allocated size, for a segment that becomes active again. */
    public void expandToMaxSize() throws IOException {
        lock.writeLock().lock();
        try {
            resize(maxIndexSize);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Shrinks the file to its valid entries; the index stays appendable up to that size. */
    public void trimToValidSize() throws IOException {
        lock.writeLock().lock();
        try {
            resize(entries * entrySize());
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void resize(int newSize) throws IOException {
        int rounded = roundDownToEntry(newSize);
        if (rounded == mmap.capacity()) {
            return;
        }
        MappedByteBuffer old = mmap;
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            raf.setLength(rounded);
            mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, rounded);
            maxEntries = rounded / entrySize();
        }
        // Readers take the read lock around every access, so nobody holds the old mapping now.
        ByteBufferUnmapper.unmap(file.getAbsolutePath(), old);
    }

    public void flush() {
        mapped().force();
    }

    public void renameTo(File target) throws IOException {
        Files.move(file.toPath(), target.toPath(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        file = target;
    }

    /** Trims and unmaps. */
    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            if (mmap == null) {
                return;
            }
            trimToValidSize();
            ByteBufferUnmapper.unmap(file.getAbsolutePath(), mmap);
            mmap = null;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Unmaps (without trimming) and deletes the file. */
    public void deleteIfExists() throws IOException {
        lock.writeLock().lock();
        try {
            if (mmap != null) {
                ByteBufferUnmapper.unmap(file.getAbsolutePath(), mmap);
                mmap = null;
            }
            Files.deleteIfExists(file.toPath());
        } finally {
            lock.writeLock().unlock();
        }
    }
}
