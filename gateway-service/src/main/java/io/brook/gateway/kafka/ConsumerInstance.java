package io.brook.gateway.kafka;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import reactor.core.publisher.Mono;

/**
 * One REST v2 consumer instance: a KafkaConsumer in a group, owned by this gateway, with the
 * embedded format its records are answered in.
 *
 * <p>A KafkaConsumer is not thread-safe and its calls block, so each instance has its own thread:
 * every operation ({@link #call}) is queued to it and runs there, one at a time, in the order the
 * requests came; event-loop threads only wait on the returned Mono. A long poll of one instance
 * holds up only that instance's later requests.
 *
 * <p>States: open → closed ({@link #close}: by DELETE, by idle expiry, or at shutdown). Closing
 * closes the consumer on its thread after the queued operations, which leaves the group at once
 * (a LeaveGroup request) so that its partitions move to other members without waiting for the
 * session timeout. Operations on a closed instance fail with 40403, as an unknown one.
 *
 * <p>Threading: thread-safe.
 */
public final class ConsumerInstance {

    /** The embedded format of records: {@code json} (raw JSON) or {@code binary} (base64). */
    public enum Format {
        JSON,
        BINARY
    }

    private final String group;
    private final String name;
    private final Format format;
    private final Consumer<byte[], byte[]> consumer;
    private final ExecutorService thread;
    private final Clock clock;
    private final AtomicInteger inUse = new AtomicInteger();
    private volatile Instant lastUsed;
    private volatile boolean closed;

    ConsumerInstance(String group, String name, Format format, Consumer<byte[], byte[]> consumer, Clock clock) {
        this.group = group;
        this.name = name;
        this.format = format;
        this.consumer = consumer;
        this.clock = clock;
        this.lastUsed = clock.instant();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "brook-consumer-" + group + "-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    public String group() {
        return group;
    }

    public String name() {
        return name;
    }

    public Format format() {
        return format;
    }

    /**
     * Runs {@code work} with the consumer on the instance's thread. Counts as use: the idle
     * timer restarts when the operation ends, and an instance is never expired during one.
     */
    public <T> Mono<T> call(Function<Consumer<byte[], byte[]>, T> work) {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(notFound());
            }
            inUse.incrementAndGet();
            lastUsed = clock.instant();
            CompletableFuture<T> result;
            try {
                result = CompletableFuture.supplyAsync(() -> work.apply(consumer), thread);
            } catch (RejectedExecutionException e) {
                inUse.decrementAndGet();
                return Mono.error(notFound());
            }
            return Mono.fromFuture(result).doFinally(signal -> {
                lastUsed = clock.instant();
                inUse.decrementAndGet();
            });
        });
    }

    /** Not used, and no operation running, since at least {@code timeout} before now. */
    boolean idleFor(Duration timeout) {
        return inUse.get() == 0 && !lastUsed.plus(timeout).isAfter(clock.instant());
    }

    /** Closes the consumer (leaving the group) after the queued operations; idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            thread.execute(() -> consumer.close(Duration.ofSeconds(5)));
        } catch (RejectedExecutionException ignored) {
            // Already shut down.
        }
        thread.shutdown();
    }

    /** Waits up to {@code timeout} for a {@link #close} to have closed the consumer. */
    void awaitClosed(Duration timeout) {
        try {
            thread.awaitTermination(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isClosed() {
        return closed;
    }

    GatewayException notFound() {
        return new GatewayException(
                ErrorCode.CONSUMER_INSTANCE_NOT_FOUND,
                "Consumer instance " + name + " of group " + group + " not found.");
    }
}
