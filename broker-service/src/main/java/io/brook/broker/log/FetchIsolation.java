package io.brook.broker.log;

/** How far a read may go. */
public enum FetchIsolation {
    /** Up to the log end offset: followers replicating from the leader. */
    LOG_END,
    /** Up to the high watermark: consumers, who see only committed records. */
    HIGH_WATERMARK
}
