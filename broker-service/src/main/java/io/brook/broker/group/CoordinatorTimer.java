package io.brook.broker.group;

import java.util.function.Supplier;

/**
 * Timers of one {@link GroupCoordinatorShard}, keyed so that scheduling a key again replaces the
 * earlier timer (a heartbeat moves a member's expiry). The operation runs on the shard's thread
 * like any request, and the records it returns are written the same way.
 *
 * <p>Threading: called only from the shard's thread.
 */
public interface CoordinatorTimer {

    /** Runs {@code operation} after {@code delayMs}, replacing any timer under {@code key}. */
    void schedule(String key, long delayMs, Supplier<ShardResult<Void>> operation);

    /** Cancels the timer under {@code key}, if any. */
    void cancel(String key);

    /** Whether a timer is pending under {@code key}. */
    boolean isScheduled(String key);
}
