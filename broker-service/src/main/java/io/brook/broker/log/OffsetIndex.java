package io.brook.broker.log;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;

/**
 * Maps offsets to positions in a segment's {@code .log} file, sparsely: one entry for roughly
 * every {@code index.interval.bytes} of batches.
 *
 * <p>Entry layout (8 bytes, big-endian): {@code relativeOffset:int32 position:int32}, where
 * {@code relativeOffset = batch.lastOffset - segment.baseOffset} and {@code position} is the byte
 * position of that batch in the {@code .log} file. Relative offsets keep entries at 8 bytes; a
 * segment therefore never spans more than {@link Integer#MAX_VALUE} offsets (the log rolls
 * before that). Keying by the batch's last offset means that the batch holding any offset at or
 * after an entry's key starts at or after the entry's position, so a lookup followed by a forward
 * scan always finds it.
 *
 * <p>Crash behaviour: see {@link AbstractIndex}; recovery rebuilds an index it cannot trust.
 */
final class OffsetIndex extends AbstractIndex {

    static final int ENTRY_SIZE = 8;

    /** An index entry: an absolute offset and the position of the batch ending at it. */
    record Entry(long offset, int position) {}

    OffsetIndex(File file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, maxIndexSize);
    }

    @Override
    protected int entrySize() {
        return ENTRY_SIZE;
    }

    @Override
    protected long keyAt(MappedByteBuffer buffer, int n) {
        return baseOffset + buffer.getInt(n * ENTRY_SIZE);
    }

    @Override
    protected boolean entryIsSane(MappedByteBuffer buffer, int n) {
        return buffer.getInt(n * ENTRY_SIZE) >= 0 && buffer.getInt(n * ENTRY_SIZE + 4) >= 0;
    }

    /**
     * The entry with the largest offset at most {@code target}, or {@code (baseOffset, 0)} when
     * there is none: the position to start scanning from for {@code target}. Thread-safe.
     */
    Entry lookup(long target) {
        int slot = largestLowerBoundSlot(target);
        if (slot < 0) {
            return new Entry(baseOffset, 0);
        }
        return readEntry(slot, (b, p) -> new Entry(baseOffset + b.getInt(p), b.getInt(p + 4)));
    }

    /** The last entry, or {@code (baseOffset, 0)} when empty. */
    Entry lastEntry() {
        int n = entries();
        if (n == 0) {
            return new Entry(baseOffset, 0);
        }
        return readEntry(n - 1, (b, p) -> new Entry(baseOffset + b.getInt(p), b.getInt(p + 4)));
    }

    /** Appends an entry; offsets must increase. Writer only. */
    void append(long offset, int position) {
        if (entries() > 0 && offset <= lastEntry().offset()) {
            throw new IllegalArgumentException("offset index entry " + offset + " is not above "
                    + lastEntry().offset() + " in " + file());
        }
        int relative = toRelative(offset);
        appendEntry((b, p) -> {
            b.putInt(p, relative);
            b.putInt(p + 4, position);
        });
    }

    private int toRelative(long offset) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "offset " + offset + " does not fit in the index of the segment at " + baseOffset);
        }
        return (int) relative;
    }

    /** Removes the entries for offsets at or above {@code offset}. Writer only. */
    void truncateTo(long offset) {
        truncateToKey(offset);
    }
}
