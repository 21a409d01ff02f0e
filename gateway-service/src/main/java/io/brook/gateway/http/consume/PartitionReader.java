package io.brook.gateway.http.consume;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.ReadConsumerPool;
import io.brook.gateway.kafka.RecordMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Stateless reads of one partition: from an offset, up to a number of records and of bytes,
 * waiting up to a timeout for the first records. No group, nothing committed; the caller carries
 * the next offset.
 *
 * <p>Limits: {@code max_records} and {@code max_bytes} (key plus value bytes) bound what is
 * returned, but the first record is always returned, however large, so that a read always makes
 * progress (as Kafka's fetch does). The read returns as soon as it has records, or when {@code
 * timeout_ms} has passed with none (an empty answer).
 *
 * <p>Offsets: none given reads from the log start; a {@code timestamp} (epoch ms, instead of an
 * offset) reads from the first record at or after it (Kafka's ListOffsets by timestamp), or from
 * the log end when every record is older. An offset below the log start or past the log
 * end is 416 (Kafka's OFFSET_OUT_OF_RANGE); the log end itself answers no records after the
 * timeout.
 *
 * <p>Threading: thread-safe; the blocking consumer calls run in {@link ReadConsumerPool} on
 * bounded-elastic threads.
 */
@Service
class PartitionReader {

    /** What one read asks for. */
    record ReadRequest(
            String topic,
            int partition,
            Long offset,
            Long timestamp,
            int maxRecords,
            long maxBytes,
            Duration timeout) {}

    /** What one read found. */
    record ReadResult(List<ConsumerRecord<byte[], byte[]>> records, long nextOffset) {}

    private final ClusterMetadata metadata;
    private final ReadConsumerPool pool;
    private final RecordMetrics metrics;
    private final GatewayProperties.Consume limits;

    PartitionReader(
            ClusterMetadata metadata, ReadConsumerPool pool, RecordMetrics metrics, GatewayProperties properties) {
        this.metadata = metadata;
        this.pool = pool;
        this.metrics = metrics;
        this.limits = properties.getConsume();
    }

    /** Checks and completes a request's limits from the parameters given (null: default). */
    ReadRequest request(
            String topic,
            int partition,
            Long offset,
            Long timestamp,
            Integer maxRecords,
            Long maxBytes,
            Long timeoutMs) {
        int records = maxRecords == null ? limits.getDefaultMaxRecords() : maxRecords;
        long bytes = maxBytes == null ? limits.getDefaultMaxBytes().toBytes() : maxBytes;
        Duration timeout = timeoutMs == null ? limits.getDefaultTimeout() : Duration.ofMillis(timeoutMs);
        if (offset != null && offset < 0) {
            throw invalid("offset must not be negative.");
        }
        if (offset != null && timestamp != null) {
            throw invalid("Give offset or timestamp, not both.");
        }
        if (timestamp != null && timestamp < 0) {
            throw invalid("timestamp must not be negative.");
        }
        if (records < 1 || records > limits.getMaxMaxRecords()) {
            throw invalid("max_records must be between 1 and " + limits.getMaxMaxRecords() + ".");
        }
        if (bytes < 1 || bytes > limits.getMaxMaxBytes().toBytes()) {
            throw invalid(
                    "max_bytes must be between 1 and " + limits.getMaxMaxBytes().toBytes() + ".");
        }
        if (timeout.isNegative() || timeout.compareTo(limits.getMaxTimeout()) > 0) {
            throw invalid(
                    "timeout_ms must be between 0 and " + limits.getMaxTimeout().toMillis() + ".");
        }
        return new ReadRequest(topic, partition, offset, timestamp, records, bytes, timeout);
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, message);
    }

    Mono<ReadResult> read(ReadRequest request) {
        return metadata.partition(request.topic(), request.partition())
                .then(pool.withConsumer(consumer -> poll(consumer, request)))
                .doOnNext(result -> {
                    long bytes = 0;
                    for (ConsumerRecord<byte[], byte[]> r : result.records()) {
                        bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
                    }
                    metrics.consumed(request.topic(), result.records().size(), bytes);
                });
    }

    private static ReadResult poll(Consumer<byte[], byte[]> consumer, ReadRequest request) {
        TopicPartition tp = new TopicPartition(request.topic(), request.partition());
        consumer.assign(List.of(tp));
        long start;
        if (request.timestamp() != null) {
            // Kafka's ListOffsets by timestamp: the first offset whose timestamp is at or after it;
            // none (every record older) reads from the log end, as a consumer's offsetsForTimes does.
            OffsetAndTimestamp found =
                    consumer.offsetsForTimes(Map.of(tp, request.timestamp())).get(tp);
            start = found != null
                    ? found.offset()
                    : consumer.endOffsets(List.of(tp)).getOrDefault(tp, 0L);
        } else if (request.offset() == null) {
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(List.of(tp));
            start = beginning.getOrDefault(tp, 0L);
        } else {
            start = request.offset();
        }
        consumer.seek(tp, start);
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        long bytes = 0;
        long deadline = System.nanoTime() + request.timeout().toNanos();
        long next = start;
        do {
            long remainingMs = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(remainingMs));
            for (ConsumerRecord<byte[], byte[]> record : polled.records(tp)) {
                long size = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                if (found.size() >= request.maxRecords() || !found.isEmpty() && bytes + size > request.maxBytes()) {
                    return new ReadResult(found, next);
                }
                found.add(record);
                bytes += size;
                next = record.offset() + 1;
            }
            if (!found.isEmpty()) {
                break;
            }
        } while (System.nanoTime() < deadline);
        return new ReadResult(found, found.isEmpty() ? consumer.position(tp) : next);
    }
}
