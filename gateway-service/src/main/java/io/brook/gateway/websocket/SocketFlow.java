package io.brook.gateway.websocket;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The outbound side of one consume socket: frames handed to the socket that the connection has not
 * taken yet. The connection takes frames only while it can write (Reactor Netty stops asking when
 * the TCP send buffer is full), so a client that does not read leaves frames here; credits limit
 * how many records come, and this limits how long and how many may wait:
 *
 * <ul>
 *   <li>more than {@code maxQueued} waiting: the queue is full ({@link #enqueued} answers true);
 *   <li>frames waiting and none taken for {@code stallTimeout}: the client stalled ({@link
 *       #stalled}).
 * </ul>
 *
 * <p>Threading: thread-safe; frames are enqueued on the stream's thread and taken on the
 * connection's event loop.
 */
final class SocketFlow {

    private final int maxQueued;
    private final long stallNanos;
    private final LongSupplier nanoTime;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile long lastProgress;

    SocketFlow(int maxQueued, Duration stallTimeout, LongSupplier nanoTime) {
        this.maxQueued = maxQueued;
        this.stallNanos = stallTimeout.toNanos();
        this.nanoTime = nanoTime;
        this.lastProgress = nanoTime.getAsLong();
    }

    /** A frame was handed to the socket; true if the queue is now past its bound. */
    boolean enqueued() {
        int now = queued.incrementAndGet();
        if (now == 1) {
            // The stall clock starts when something waits, not when the socket went quiet.
            lastProgress = nanoTime.getAsLong();
        }
        return now > maxQueued;
    }

    /** The connection took a frame. */
    void taken() {
        queued.decrementAndGet();
        lastProgress = nanoTime.getAsLong();
    }

    /** Frames wait and none was taken for the stall timeout. */
    boolean stalled() {
        return queued.get() > 0 && nanoTime.getAsLong() - lastProgress >= stallNanos;
    }

    int queued() {
        return queued.get();
    }
}
