package io.brook.broker.network;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * What the network layer reports for metrics, without knowing how they are kept (the broker's
 * {@code metrics} package binds it to Micrometer). Every method is called on a hot path: it must
 * be cheap and must not block.
 *
 * <p>A request's times, all from {@link System#nanoTime()}: received (the frame read), handler
 * start (a request-handler thread took it), handler end ({@code handle} returned its future) and
 * completed (the future completed and the response was serialised). Kafka's request metrics are
 * the differences: queue = start - received, local = end - start, remote = completed - end (a
 * produce waiting for the followers, a fetch for {@code fetch.min.bytes}), total = completed -
 * received. The wait of a finished response behind earlier ones of the same connection, and the
 * socket write, are not in the total.
 *
 * <p>Threading: implementations must be thread-safe.
 */
public interface NetworkObserver {

    /** An observer that keeps nothing. */
    NetworkObserver NONE = new NetworkObserver() {};

    /** A request was answered (or failed with a response); times as in the class comment. */
    default void requestCompleted(
            ApiKeys api, long receivedNanos, long handlerStartNanos, long handlerEndNanos, long completedNanos) {}

    /** A request-handler thread was busy for {@code nanos} (running a handler). */
    default void requestHandlerBusy(long nanos) {}

    /** A network thread (Netty event loop) was busy for {@code nanos} reading or writing Kafka frames. */
    default void networkBusy(long nanos) {}
}
