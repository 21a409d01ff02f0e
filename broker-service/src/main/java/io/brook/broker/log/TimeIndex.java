package io.brook.broker.log;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;

/**
 * Maps timestamps to offsets in one segment, sparsely: an entry is added beside each offset-index
 * entry when the segment's largest timestamp has grown since the last one.
 *
 * <p>Entry layout (12 bytes, big-endian): {@code timestamp:int64 relativeOffset:int32}, meaning
 * "the largest timestamp among the batches up to and including the batch ending at {@code
 * baseOffset + relativeOffset}". Timestamps strictly increase from entry to entry, so the entry
 * with the largest timestamp below a target tells where a search for the first record at or after
 * the target may start: no earlier batch holds a timestamp at or above it.
 *
 * <p>Crash behaviour: see {@link AbstractIndex}; recovery rebuilds an index it cannot trust.
 */
final class TimeIndex extends AbstractIndex {

    static final int ENTRY_SIZE = 12;

    /** An index entry: a timestamp and the offset of the batch that raised the maximum to it. */
    record Entry(long timestamp, long offset) {}

    TimeIndex(File file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, maxIndexSize);
    }

    @Override
    protected int entrySize() {
        return ENTRY_SIZE;
    }

    @Override
    protected long keyAt(MappedByteBuffer buffer, int n) {
        return buffer.getLong(n * ENTRY_SIZE);
    }

    @Override
    protected boolean entryIsSane(MappedByteBuffer buffer, int n) {
        return buffer.getInt(n * ENTRY_SIZE + 8) >= 0;
    }

    /**
     * The entry with the largest timestamp strictly below {@code target}, or {@code (-1,
     * baseOffset)} when there is none: every batch at or before its offset has only timestamps
     * below the target. Thread-safe.
     */
    Entry lookupBelow(long target) {
        int slot = largestLowerBoundSlot(target - 1);
        if (slot < 0) {
            return new Entry(-1L, baseOffset);
        }
        return readEntry(slot, (b, p) -> new Entry(b.getLong(p), baseOffset + b.getInt(p + 8)));
    }

    /** The last entry, or {@code (-1, baseOffset)} when empty. */
    Entry lastEntry() {
        int n = entries();
        if (n == 0) {
            return new Entry(-1L, baseOffset);
        }
        return readEntry(n - 1, (b, p) -> new Entry(b.getLong(p), baseOffset + b.getInt(p + 8)));
    }

    /** Appends an entry when {@code timestamp} is above the last one. Writer only. */
    void maybeAppend(long timestamp, long offset) {
        if (entries() > 0 && timestamp <= lastEntry().timestamp()) {
            return;
        }
        if (isFull()) {
            return;
        }
        int relative = (int) (offset - baseOffset);
        appendEntry((b, p) -> {
            b.putLong(p, timestamp);
            b.putInt(p + 8, relative);
        });
    }

    /** Removes the entries for offsets at or above {@code offset}. Writer only. */
    void truncateTo(long offset) {
        // Keys here are timestamps, so find the first entry pointing at or past the offset.
        int keep = 0;
        int n = entries();
        while (keep < n) {
            int slot = keep;
            long entryOffset = readEntry(slot, (b, p) -> baseOffset + b.getInt(p + 8));
            if (entryOffset >= offset) {
                break;
            }
            keep++;
        }
        truncateToEntries(keep);
    }
}
