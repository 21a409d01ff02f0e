package io.brook.gateway.http.produce;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.KafkaClients;
import io.brook.gateway.kafka.KafkaFutures;
import io.brook.gateway.kafka.RecordMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.springframework.stereotype.Service;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Sends one record through the shared producer and completes once the broker acknowledged it:
 * the topic must exist (never auto-created from HTTP) and the partition, if given, must be in
 * range; both are checked against {@link ClusterMetadata} before the send.
 *
 * <p>Two ways in: {@link #dispatch}, one record at a time as a stream's records arrive (streaming
 * produce, the WebSocket produce socket); and {@link #sendAll}, the records of one request that
 * holds them all ({@code records:batch}, REST v2), checked and sent in one go.
 *
 * <p>Both take a timeout, a request's {@code timeout_ms} ({@link #timeout}): a record not
 * acknowledged within it fails with 504 (error_code 50401) while the request goes on. As with
 * Kafka's own delivery.timeout.ms, that failure does not mean the record was not written: it is
 * still in the producer and may yet reach the broker (the gateway cannot take it back); only an
 * acknowledgement says it was. The clock starts when the records are handed to the producer, after
 * the topic's metadata is known.
 *
 * <p>Threading: thread-safe; nothing here blocks an event-loop thread (see {@link
 * KafkaClients#producerFor}).
 */
@Service
public class ProduceService {

    /** A record to send, with its bytes. */
    public record Outgoing(Integer partition, byte[] key, byte[] value, List<Header> headers, Long timestamp) {

        int keySize() {
            return key == null ? 0 : key.length;
        }

        int valueSize() {
            return value == null ? 0 : value.length;
        }
    }

    /** What became of one record of {@link #sendAll}: where it went, or why not (one of the two). */
    public record Sent(RecordMetadata metadata, Throwable error) {}

    /** The {@code timeout_ms} parameter, as the API documentation describes it. */
    static final String TIMEOUT_MS =
            "Longest wait in milliseconds for each record's acknowledgement (default and maximum:"
                    + " brook.gateway.producer.delivery-timeout); past it the record's answer is 504, error_code 50401,"
                    + " and it may still be written.";

    private final KafkaClients clients;
    private final ClusterMetadata metadata;
    private final RecordMetrics metrics;
    private final Duration maxTimeout;

    ProduceService(
            KafkaClients clients, ClusterMetadata metadata, RecordMetrics metrics, GatewayProperties properties) {
        this.clients = clients;
        this.metadata = metadata;
        this.metrics = metrics;
        this.maxTimeout = properties.getProducer().getDeliveryTimeout();
    }

    /**
     * The longest wait for acknowledgements that a request asked for with {@code timeout_ms}:
     * absent, the producer's delivery timeout ({@code brook.gateway.producer.delivery-timeout});
     * else from 1 ms up to that delivery timeout, which bounds it because the producer gives a
     * record up then anyway.
     *
     * @throws GatewayException 400 for a value out of that range or not a number
     */
    public Duration timeout(String timeoutMs) {
        if (timeoutMs == null || timeoutMs.isBlank()) {
            return maxTimeout;
        }
        long millis;
        try {
            millis = Long.parseLong(timeoutMs.trim());
        } catch (NumberFormatException e) {
            throw new GatewayException(
                    ErrorCode.INVALID_REQUEST, "timeout_ms must be a number of milliseconds, not '" + timeoutMs + "'.");
        }
        if (millis < 1 || millis > maxTimeout.toMillis()) {
            throw new GatewayException(
                    ErrorCode.INVALID_REQUEST,
                    "timeout_ms must be between 1 and " + maxTimeout.toMillis() + " (the delivery timeout), not "
                            + millis + ".");
        }
        return Duration.ofMillis(millis);
    }

    /** The topic, checked; 404 if unknown. */
    public Mono<ClusterMetadata.TopicInfo> topic(String topic) {
        return metadata.topic(topic);
    }

    /**
     * Hands a record to the producer and completes, as soon as it is handed over, with the Mono of
     * its acknowledgement. The records of one request or stream go through here one after the
     * other ({@code concatMap}), so that they reach the producer, and so their partition, in the
     * order given; their acknowledgements are then awaited together ({@code flatMapSequential}). A
     * record refused before the send (unknown partition, bad timestamp) completes with a failed
     * inner Mono, so that one bad record does not end a stream; so does a record not acknowledged
     * within {@code timeout} of its hand-over ({@link #timedOut}).
     */
    public Mono<Mono<RecordMetadata>> dispatch(String topic, Outgoing record, String acks, Duration timeout) {
        if (record.timestamp() != null && record.timestamp() < 0) {
            return Mono.just(
                    Mono.error(new GatewayException(ErrorCode.INVALID_REQUEST, "timestamp must not be negative.")));
        }
        Mono<ClusterMetadata.TopicInfo> checked =
                record.partition() == null ? metadata.topic(topic) : metadata.partition(topic, record.partition());
        return checked.then(clients.producerFor(acks, topic))
                .map(producer -> KafkaFutures.send(
                                producer,
                                new ProducerRecord<>(
                                        topic,
                                        record.partition(),
                                        record.timestamp(),
                                        record.key(),
                                        record.value(),
                                        record.headers()))
                        .timeout(timeout, Mono.error(() -> timedOut(timeout)))
                        .doOnNext(sent -> metrics.produced(topic, 1, record.keySize() + record.valueSize())))
                .onErrorResume(e -> Mono.just(Mono.error(e)));
    }

    /**
     * Sends the records of one request, in order, and completes once every one is acknowledged or
     * failed, or at the latest after {@code timeout}, with one {@link Sent} per record in the order
     * given (those without an acknowledgement by then failed with {@link #timedOut}). The topic (404 if unknown) and
     * the producer are looked up once for all; a record refused before the send (partition out of
     * range, negative timestamp) or by the producer fails alone.
     *
     * <p>Why not {@link #dispatch} per record: a record then costs two lookups, a few Reactor
     * operators and a future, and each acknowledgement runs its part of the answer on the
     * producer's single I/O thread, which every request shares (profiling {@code records:batch}
     * with 100 records a request, that thread took close to half of the gateway's samples; sent
     * this way, a sixteenth). Here a record costs its send and a slot in an array, the last
     * acknowledgement completes the request, and the answer is built on a {@link
     * Schedulers#parallel() parallel} thread, not on the producer's.
     */
    public Mono<List<Sent>> sendAll(String topic, List<Outgoing> records, String acks, Duration timeout) {
        return metadata.topic(topic)
                .zipWith(clients.producerFor(acks, topic))
                .flatMap(found -> new Batch(topic, records, timeout).send(found.getT2(), found.getT1()))
                .publishOn(Schedulers.parallel());
    }

    /** The failure of a record not acknowledged within a request's timeout: 504, 50401. */
    static GatewayException timedOut(Duration timeout) {
        return new GatewayException(
                ErrorCode.TIMEOUT,
                "No acknowledgement from the cluster within " + timeout.toMillis()
                        + " ms (timeout_ms); the record may still be written.");
    }

    /**
     * The records of one {@link #sendAll} in flight: a slot per record, filled by its callback (on
     * the producer's I/O thread), at once when refused, or by the timer when the timeout passes
     * first; the first outcome of a slot wins (compare-and-set), and the last slot to be filled
     * completes the batch. A record whose slot the timer filled before the sending loop reached it
     * is not sent at all.
     */
    private final class Batch {

        private final String topic;
        private final List<Outgoing> records;
        private final Duration timeout;
        private final AtomicReferenceArray<Sent> sent;
        private final Sinks.One<List<Sent>> done = Sinks.one();
        // One more than the records: the sending loop holds it until every record is handed over,
        // so that the batch cannot complete while later records are still being sent.
        private final AtomicInteger pending;
        private volatile Disposable timer;

        Batch(String topic, List<Outgoing> records, Duration timeout) {
            this.topic = topic;
            this.records = records;
            this.timeout = timeout;
            this.sent = new AtomicReferenceArray<>(records.size());
            this.pending = new AtomicInteger(records.size() + 1);
        }

        Mono<List<Sent>> send(Producer<byte[], byte[]> producer, ClusterMetadata.TopicInfo info) {
            // Started before the loop: a send that blocks (the producer's buffer.memory full) counts.
            timer = Schedulers.parallel().schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
            for (int i = 0; i < records.size(); i++) {
                if (sent.get(i) != null) {
                    continue; // timed out before its turn
                }
                Outgoing record = records.get(i);
                RuntimeException refused = refusal(info, record);
                if (refused != null) {
                    settle(i, new Sent(null, refused));
                    continue;
                }
                int slot = i;
                try {
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    record.partition(),
                                    record.timestamp(),
                                    record.key(),
                                    record.value(),
                                    record.headers()),
                            (metadata, error) -> settle(slot, new Sent(error == null ? metadata : null, error)));
                } catch (RuntimeException e) {
                    // Thrown by send itself (record too large, metadata timeout): this record only.
                    settle(slot, new Sent(null, e));
                }
            }
            release();
            return done.asMono();
        }

        /** Fills a slot if still empty. Each slot is written once, before its decrement: the last decrement sees them all. */
        private void settle(int slot, Sent outcome) {
            if (sent.compareAndSet(slot, null, outcome)) {
                release();
            }
        }

        /** The timeout passed: every record still without an outcome fails with {@link #timedOut}. */
        private void expire() {
            Sent late = new Sent(null, timedOut(timeout));
            for (int i = 0; i < sent.length(); i++) {
                settle(i, late);
            }
        }

        private void release() {
            if (pending.decrementAndGet() == 0) {
                complete();
            }
        }

        private void complete() {
            Disposable scheduled = timer;
            if (scheduled != null) {
                scheduled.dispose();
            }
            long acked = 0;
            long bytes = 0;
            List<Sent> outcomes = new ArrayList<>(sent.length());
            for (int i = 0; i < sent.length(); i++) {
                Sent outcome = sent.get(i);
                outcomes.add(outcome);
                if (outcome.error() == null) {
                    acked++;
                    bytes += records.get(i).keySize() + records.get(i).valueSize();
                }
            }
            if (acked > 0) {
                metrics.produced(topic, acked, bytes);
            }
            done.tryEmitValue(outcomes);
        }
    }

    private static RuntimeException refusal(ClusterMetadata.TopicInfo info, Outgoing record) {
        if (record.timestamp() != null && record.timestamp() < 0) {
            return new GatewayException(ErrorCode.INVALID_REQUEST, "timestamp must not be negative.");
        }
        Integer partition = record.partition();
        if (partition != null && (partition < 0 || partition >= info.partitions())) {
            return ClusterMetadata.partitionNotFound(info.name(), partition, info.partitions());
        }
        return null;
    }
}
