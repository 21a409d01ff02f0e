package io.brook.gateway.http.produce;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.brook.gateway.http.RecordData;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The JSON of Confluent REST v3 produce, as records (snake_case on the wire). */
final class ProduceV3Json {

    private ProduceV3Json() {}

    /** A header: its name and its value in base64 (null for a null value). */
    record HeaderData(String name, String value) {}

    /**
     * One record to produce. {@code partition_id} absent: the producer's partitioner picks (by key
     * hash, or sticky for null keys). {@code timestamp}: ISO-8601 text or epoch milliseconds;
     * absent: the time of the send.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ProduceRequest(
            Integer partitionId, List<HeaderData> headers, RecordData key, RecordData value, JsonNode timestamp) {}

    /** The size of what was written for a key or value, with the type it was given as. */
    record SizeData(String type, int size) {}

    /**
     * A delivery report. Success: {@code error_code} 200 and where the record went. Failure: the
     * gateway's {@code error_code} (see ErrorCode) and {@code message}.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProduceResponse(
            int errorCode,
            String message,
            String clusterId,
            String topicName,
            Integer partitionId,
            Long offset,
            String timestamp,
            SizeData key,
            SizeData value) {}

    /** A {@code records:batch} entry: an {@code id} (1 to 80 characters) and a record. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record BatchEntry(
            String id,
            Integer partitionId,
            List<HeaderData> headers,
            RecordData key,
            RecordData value,
            JsonNode timestamp) {

        ProduceRequest record() {
            return new ProduceRequest(partitionId, headers, key, value, timestamp);
        }
    }

    record BatchRequest(List<BatchEntry> entries) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record BatchSuccess(
            String id,
            String clusterId,
            String topicName,
            int partitionId,
            long offset,
            String timestamp,
            SizeData key,
            SizeData value) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record BatchFailure(String id, int errorCode, String message) {}

    record BatchResponse(List<BatchSuccess> successes, List<BatchFailure> failures) {}
}
