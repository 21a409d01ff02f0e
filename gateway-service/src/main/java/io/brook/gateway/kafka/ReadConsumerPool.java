package io.brook.gateway.kafka;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Group-less consumers for stateless reads ({@code GET .../partitions/{p}/records}): a read
 * borrows one, assigns it the partition, seeks, polls, and gives it back.
 *
 * <p>A {@link KafkaConsumer} is single-threaded and its {@code poll} blocks, so every use runs on
 * Reactor's bounded-elastic scheduler, never on an event-loop thread. At most {@code
 * brook.gateway.consume.pool-size} consumers exist; a read that finds none free waits for one up to
 * the admin timeout, then fails with 503. Consumers are created on first need, have no group id
 * (no offsets are committed), and fail with {@code OffsetOutOfRangeException} rather than jump
 * when asked for an offset the log does not have (auto.offset.reset=none).
 *
 * <p>Threading: {@link #withConsumer} is thread-safe; the consumer it lends is used by one thread
 * at a time.
 */
public class ReadConsumerPool implements DisposableBean {

    private final GatewayProperties properties;
    private final LinkedBlockingQueue<Consumer<byte[], byte[]>> idle = new LinkedBlockingQueue<>();
    private final List<Consumer<byte[], byte[]>> all = new ArrayList<>();
    private final Semaphore permits;
    private final AtomicInteger created = new AtomicInteger();
    private volatile boolean closed;

    public ReadConsumerPool(GatewayProperties properties) {
        this.properties = properties;
        this.permits = new Semaphore(properties.getConsume().getPoolSize());
    }

    /** Runs {@code use} with a pooled consumer on a bounded-elastic thread. */
    public <T> Mono<T> withConsumer(Function<Consumer<byte[], byte[]>, T> use) {
        return Mono.fromCallable(() -> {
                    Duration wait = properties.getAdminTimeout();
                    if (!permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new GatewayException(
                                ErrorCode.SERVICE_UNAVAILABLE, "All read consumers are busy; try again.");
                    }
                    Consumer<byte[], byte[]> consumer = null;
                    try {
                        consumer = borrow();
                        return use.apply(consumer);
                    } finally {
                        if (consumer != null) {
                            consumer.unsubscribe();
                            idle.add(consumer);
                        }
                        permits.release();
                    }
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    private Consumer<byte[], byte[]> borrow() {
        if (closed) {
            throw new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, "The gateway is shutting down.");
        }
        Consumer<byte[], byte[]> consumer = idle.poll();
        if (consumer != null) {
            return consumer;
        }
        GatewayProperties.Consume settings = properties.getConsume();
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.getBootstrapServers());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, properties.getClientId() + "-reader-" + created.incrementAndGet());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.getMaxMaxRecords());
        int maxBytes = (int) settings.getMaxMaxBytes().toBytes();
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, maxBytes);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxBytes);
        // Reads are short: a fetch waits at most 100 ms at the broker so that the gateway's own
        // deadline (timeout_ms) decides how long a read lasts.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int)
                properties.getAdminTimeout().toMillis());
        config.putAll(properties.getKafka());
        KafkaConsumer<byte[], byte[]> fresh =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        synchronized (all) {
            all.add(fresh);
        }
        return fresh;
    }

    @Override
    public void destroy() {
        closed = true;
        synchronized (all) {
            for (Consumer<byte[], byte[]> consumer : all) {
                consumer.wakeup();
            }
        }
        // Wait for reads in flight to hand their consumers back before closing them.
        int size = properties.getConsume().getPoolSize();
        try {
            permits.tryAcquire(size, 10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (all) {
            for (Consumer<byte[], byte[]> consumer : all) {
                consumer.close(Duration.ofSeconds(2));
            }
        }
    }
}
