package io.brook.broker.metrics;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The share of time a pool of threads was idle, as Kafka's {@code RequestHandlerAvgIdlePercent}:
 * the threads add up the nanoseconds they were busy; a read computes {@code 1 - busy / (elapsed x
 * threads)} over the time since the previous read, clamped to 0..1. Reads closer together than
 * {@value #MIN_WINDOW_NANOS} ns return the previous value, so that two scrapers (or a scrape and
 * a dashboard) do not shrink the window to nothing.
 *
 * <p>Busy time is counted when a unit of work ends: a single long unit shows in the window in
 * which it ended, so one window may read below 0 before clamping. Over windows of seconds (any
 * scrape interval) this is the average Kafka reports.
 *
 * <p>Threading: {@link #busy} is thread-safe and lock-free; {@link #idleRatio} is synchronized.
 */
final class IdleRatio {

    /** One second: a scrape interval is never shorter. */
    static final long MIN_WINDOW_NANOS = 1_000_000_000L;

    private final int threads;
    private final LongSupplier nanoTime;
    private final LongAdder busyNanos = new LongAdder();
    private long lastReadNanos;
    private long lastBusyNanos;
    private double lastRatio = 1.0;

    IdleRatio(int threads, LongSupplier nanoTime) {
        this.threads = Math.max(1, threads);
        this.nanoTime = nanoTime;
        this.lastReadNanos = nanoTime.getAsLong();
    }

    void busy(long nanos) {
        busyNanos.add(nanos);
    }

    synchronized double idleRatio() {
        long now = nanoTime.getAsLong();
        long elapsed = now - lastReadNanos;
        if (elapsed < MIN_WINDOW_NANOS) {
            return lastRatio;
        }
        long busy = busyNanos.sum();
        double busyShare = (double) (busy - lastBusyNanos) / ((double) elapsed * threads);
        lastRatio = Math.max(0.0, Math.min(1.0, 1.0 - busyShare));
        lastReadNanos = now;
        lastBusyNanos = busy;
        return lastRatio;
    }
}
