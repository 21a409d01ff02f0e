package io.brook.gateway.http.produce;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.KafkaClients;
import io.brook.gateway.kafka.KafkaFutures;
import io.brook.gateway.kafka.RecordMetrics;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Sends one record through the shared producer and completes once the broker acknowledged it:
 * the topic must exist (never auto-created from HTTP) and the partition, if given, must be in
 * range; both are checked against {@link ClusterMetadata} before the send.
 *
 * <p>Also used by the WebSocket produce socket. Threading: thread-safe; nothing here blocks an
 * event-loop thread (see {@link
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
}
