package io.brook.gateway.kafka;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaFuture;
import reactor.core.publisher.Mono;

/**
 * Bridges kafka-clients' futures and callbacks to Reactor without blocking: the resulting {@link
 * Mono}s complete on the client's own network thread, and failures carry the Kafka exception
 * itself (unwrapped from {@link ExecutionException}/{@link CompletionException}) so that {@link
 * io.brook.gateway.error.KafkaErrors} can map it by class.
 */
public final class KafkaFutures {

    private KafkaFutures() {}

    /** A Mono of an Admin result. */
    public static <T> Mono<T> mono(KafkaFuture<T> future) {
        return Mono.fromFuture(future.toCompletionStage().toCompletableFuture(), true)
                .onErrorMap(KafkaFutures::isWrapper, Throwable::getCause);
    }

    /**
     * Sends a record now, and returns a Mono that completes with its metadata once the broker
     * acknowledged it (or at once for acks=0). An error thrown by {@code send} itself (record too
     * large, serialisation, metadata timeout) fails the Mono instead of escaping.
     */
    public static Mono<RecordMetadata> send(Producer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return Mono.fromFuture(acked, true);
    }

    static boolean isWrapper(Throwable t) {
        return (t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null;
    }
}
