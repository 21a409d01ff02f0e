package io.brook.broker.log;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The compaction key map: for each key seen in the dirty part of a log, the offset of its latest
 * record. Records at lower offsets with the same key are shadowed and may be removed.
 *
 * <p>Memory bound: the map holds at most {@link #capacity()} keys, fixed at construction, in
 * three {@code long} arrays allocated once and reused for every cleaning pass. Each slot takes 24
 * bytes (a 128-bit key hash and an offset) and the table has {@code capacity / 0.75} slots, so
 * the map costs about {@code 32 * capacity} bytes whatever the size of the keys: one million
 * keys take about 32 MiB. When the dirty part of a log has more keys than fit, the cleaner maps
 * only the batches that fit and cleans that prefix of the log; the next pass continues from
 * there (see {@link LogCleaner}).
 *
 * <p>Keys are stored as the first 128 bits of their SHA-256 digest, not as bytes, which is what
 * keeps the memory bound independent of key size. Two keys with the same 128-bit prefix would be
 * taken for one and the older record dropped; by accident that is about as likely as {@code
 * n^2 / 2^129} for {@code n} keys, and crafting such a pair takes about {@code 2^64} hash
 * evaluations (MD5, which Kafka uses here, has practical collisions).
 *
 * <p>Open addressing with linear probing. An empty slot has offset -1.
 *
 * <p>Threading: not thread-safe; the {@link LogCleaner} uses it under its cleaning lock.
 */
final class CleanerOffsetMap {

    /** Slots per key at most 1/0.75: linear probing stays short below this load. */
    private static final double MAX_LOAD = 0.75;

    private static final int HASH_BYTES = 32;

    private final int capacity;
    private final int slots;
    private final long[] hashHigh;
    private final long[] hashLow;
    private final long[] offsets;
    private final MessageDigest digest;
    private final byte[] hashBuffer = new byte[HASH_BYTES];

    private int size;
    private long latestOffset = -1;

    /** @param capacity the largest number of distinct keys the map holds; at least 1 */
    CleanerOffsetMap(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("offset map capacity must be at least 1, not " + capacity);
        }
        long wanted = (long) Math.ceil(capacity / MAX_LOAD) + 1;
        if (wanted > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("offset map capacity " + capacity + " is too large");
        }
        this.capacity = capacity;
        this.slots = (int) wanted;
        this.hashHigh = new long[slots];
        this.hashLow = new long[slots];
        this.offsets = new long[slots];
        Arrays.fill(offsets, -1L);
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (see MessageDigest's javadoc).
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The largest number of distinct keys the map holds. */
    int capacity() {
        return capacity;
    }

    /** The number of distinct keys in the map. */
    int size() {
        return size;
    }

    /** Room for this many more distinct keys. */
    int remaining() {
        return capacity - size;
    }

    /** The largest offset put since the last {@link #clear()}, or -1. */
    long latestOffset() {
        return latestOffset;
    }

    /**
     * Records {@code offset} as the latest for {@code key}.
     *
     * @throws IllegalStateException the key is new and the map is full
     */
    void put(ByteBuffer key, long offset) {
        hash(key);
        long high = high();
        long low = low();
        int slot = find(high, low);
        if (offsets[slot] < 0) {
            if (size >= capacity) {
                throw new IllegalStateException("offset map is full at " + capacity + " keys");
            }
            hashHigh[slot] = high;
            hashLow[slot] = low;
            size++;
        }
        offsets[slot] = offset;
        latestOffset = Math.max(latestOffset, offset);
    }

    /** The latest offset put for {@code key}, or -1 when the key is not in the map. */
    long get(ByteBuffer key) {
        hash(key);
        return offsets[find(high(), low())];
    }

    /** Empties the map for the next pass; keeps its memory. */
    void clear() {
        Arrays.fill(offsets, -1L);
        size = 0;
        latestOffset = -1;
    }

    /** The slot holding the hash, or the empty slot where it would go. */
    private int find(long high, long low) {
        int slot = (int) Long.remainderUnsigned(low, slots);
        // The load never passes MAX_LOAD, so an empty slot is always found.
        while (offsets[slot] >= 0 && (hashHigh[slot] != high || hashLow[slot] != low)) {
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
        return slot;
    }

    private void hash(ByteBuffer key) {
        digest.update(key.duplicate());
        try {
            digest.digest(hashBuffer, 0, HASH_BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 digest failed", e);
        }
    }

    private long high() {
        return ByteBuffer.wrap(hashBuffer, 0, 8).getLong();
    }

    private long low() {
        return ByteBuffer.wrap(hashBuffer, 8, 8).getLong();
    }
}
