package io.brook.gateway.http.produce;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.KafkaClients;
import io.brook.gateway.kafka.KafkaFutures;
import io.brook.gateway.kafka.RecordMetrics;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.springframework.stereotype.Service;
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

    private final KafkaClients clients;
    private final ClusterMetadata metadata;
    private final RecordMetrics metrics;

    ProduceService(KafkaClients clients, ClusterMetadata metadata, RecordMetrics metrics) {
        this.clients = clients;
        this.metadata = metadata;
        this.metrics = metrics;
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
     * inner Mono, so that one bad record does not end a stream.
     */
    public Mono<Mono<RecordMetadata>> dispatch(String topic, Outgoing record, String acks) {
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
                        .doOnNext(sent -> metrics.produced(topic, 1, record.keySize() + record.valueSize())))
                .onErrorResume(e -> Mono.just(Mono.error(e)));
    }

    /**
     * Sends the records of one request, in order, and completes once every one is acknowledged or
     * failed, with one {@link Sent} per record in the order given. The topic (404 if unknown) and
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
    public Mono<List<Sent>> sendAll(String topic, List<Outgoing> records, String acks) {
        return metadata.topic(topic)
                .zipWith(clients.producerFor(acks, topic))
                .flatMap(found -> new Batch(topic, records).send(found.getT2(), found.getT1()))
                .publishOn(Schedulers.parallel());
    }

    /**
     * The records of one {@link #sendAll} in flight: a slot per record, filled by its callback (on
     * the producer's I/O thread) or at once when refused; the last to be filled completes it.
     */
    private final class Batch {

        private final String topic;
        private final List<Outgoing> records;
        private final Sent[] sent;
        private final Sinks.One<List<Sent>> done = Sinks.one();
        // One more than the records: the sending loop holds it until every record is handed over,
        // so that the batch cannot complete while later records are still being sent.
        private final AtomicInteger pending;

        Batch(String topic, List<Outgoing> records) {
            this.topic = topic;
            this.records = records;
            this.sent = new Sent[records.size()];
            this.pending = new AtomicInteger(records.size() + 1);
        }

        Mono<List<Sent>> send(Producer<byte[], byte[]> producer, ClusterMetadata.TopicInfo info) {
            for (int i = 0; i < records.size(); i++) {
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

        /** Fills a slot. Each slot is written once, before its decrement: the last decrement sees them all. */
        private void settle(int slot, Sent outcome) {
            sent[slot] = outcome;
            release();
        }

        private void release() {
            if (pending.decrementAndGet() == 0) {
                complete();
            }
        }

        private void complete() {
            long acked = 0;
            long bytes = 0;
            for (int i = 0; i < sent.length; i++) {
                if (sent[i].error() == null) {
                    acked++;
                    bytes += records.get(i).keySize() + records.get(i).valueSize();
                }
            }
            if (acked > 0) {
                metrics.produced(topic, acked, bytes);
            }
            done.tryEmitValue(Arrays.asList(sent));
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
