package io.brook.broker.group;

/**
 * A committed offset: the next offset the group will consume, the leader epoch of the last
 * consumed record (-1 when the client did not send one), the client's metadata string (never
 * null; Kafka stores a null as the empty string) and the broker time of the commit.
 */
public record OffsetAndMetadata(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {

    /** The leader epoch of a commit that did not carry one. */
    public static final int NO_LEADER_EPOCH = -1;

    public OffsetAndMetadata {
        metadata = metadata == null ? "" : metadata;
    }
}
