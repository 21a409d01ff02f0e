package io.brook.broker.log;

/**
 * What an append wrote: its first and last offsets, the largest timestamp and the offset holding
 * it, the broker time it used for {@code LogAppendTime} topics (-1 otherwise), the number of
 * records and the bytes written.
 */
public record LogAppendInfo(
        long firstOffset,
        long lastOffset,
        long maxTimestamp,
        long offsetOfMaxTimestamp,
        long logAppendTime,
        int recordCount,
        int sizeInBytes) {}
