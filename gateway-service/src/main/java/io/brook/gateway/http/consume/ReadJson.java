package io.brook.gateway.http.consume;

import io.brook.gateway.http.RecordData;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The JSON of stateless reads (snake_case on the wire). */
final class ReadJson {

    private ReadJson() {}

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
