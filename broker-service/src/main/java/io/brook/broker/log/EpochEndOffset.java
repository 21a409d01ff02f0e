package io.brook.broker.log;

/**
 * The answer to OffsetForLeaderEpoch for one partition: the largest epoch at or below the one
 * asked for, and the offset after its last record (the start of the next epoch, or the log end
 * for the latest). Both are {@link #UNDEFINED_EPOCH} / {@link #UNDEFINED_EPOCH_OFFSET} when the
 * log knows no such epoch.
 */
public record EpochEndOffset(int leaderEpoch, long endOffset) {

    public static final int UNDEFINED_EPOCH = -1;
    public static final long UNDEFINED_EPOCH_OFFSET = -1L;
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET);
}
