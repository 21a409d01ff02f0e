package io.brook.gateway.http.consume;

import io.brook.gateway.http.RecordData;
import io.brook.gateway.http.RecordFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The JSON of stateless reads and of search matches (snake_case on the wire). */
final class ReadJson {

    private ReadJson() {}

    /** A record read, in the shape of {@link ReadRecord}. */
    static ReadRecord record(ConsumerRecord<byte[], byte[]> record, RecordFormat format, RecordFormat.Format how) {
        List<HeaderData> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new HeaderData(
                    header.key(),
                    header.value() == null ? null : Base64.getEncoder().encodeToString(header.value())));
        }
        return new ReadRecord(
                record.topic(),
                record.partition(),
                record.offset(),
                Instant.ofEpochMilli(record.timestamp()).toString(),
                record.timestampType().name,
                format.decode(record.key(), how),
                format.decode(record.value(), how),
                headers);
    }

    record HeaderData(String name, String value) {}

    /**
     * One record read: where it is, its key and value in their JSON form (see RecordFormat: the
     * same shape a produce request takes), headers with base64 values, its timestamp (ISO-8601)
     * and timestamp type (CreateTime or LogAppendTime).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ReadRecord(
            String topicName,
            int partitionId,
            long offset,
            String timestamp,
            String timestampType,
            RecordData key,
            RecordData value,
            List<HeaderData> headers) {}

    /** A read's answer; {@code next_offset} is where the next read should start. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ReadResponse(
            String clusterId, String topicName, int partitionId, long nextOffset, List<ReadRecord> records) {}
}
