package io.brook.gateway.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A consumed record as streams send it (Server-Sent Events data, WebSocket frames): where it is,
 * its key and value in the produce shape ({@code {"type", "data"}}, see {@link RecordFormat}),
 * headers with base64 values, its timestamp (ISO-8601). {@code type} is {@code "record"} on
 * WebSocket frames, to tell records from other frames, and absent on Server-Sent Events.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordJson(
        String type,
        String topicName,
        int partitionId,
        long offset,
        String timestamp,
        RecordData key,
        RecordData value,
        List<HeaderJson> headers) {

    /** A header: name and base64 value (null for a null value). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record HeaderJson(String name, String value) {}

    public static RecordJson of(
            String type, ConsumerRecord<byte[], byte[]> record, RecordFormat format, RecordFormat.Format how) {
        List<HeaderJson> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new HeaderJson(
                    header.key(),
                    header.value() == null ? null : Base64.getEncoder().encodeToString(header.value())));
        }
        return new RecordJson(
                type,
                record.topic(),
                record.partition(),
                record.offset(),
                Instant.ofEpochMilli(record.timestamp()).toString(),
                format.decode(record.key(), how),
                format.decode(record.value(), how),
                headers);
    }

    /** The id of a record's event or frame: {@code partition:offset}. */
    public static String eventId(ConsumerRecord<?, ?> record) {
        return record.partition() + ":" + record.offset();
    }
}
