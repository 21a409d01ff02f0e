package io.brook.gateway.websocket;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.brook.gateway.http.RecordData;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The JSON text frames of the sockets (snake_case on the wire). */
final class SocketFrames {

    private SocketFrames() {}

    /** A header: name and base64 value. */
    record HeaderData(String name, String value) {}

    /**
     * Produce socket, client to server: one record. {@code key} and {@code value} as in REST v3
     * ({@code {"type": "JSON"|"STRING"|"BINARY", "data": ...}}); {@code partition} optional;
     * {@code context} any JSON, echoed in the reply; {@code timestamp} epoch milliseconds.
     */
    record ProduceFrame(
            RecordData key,
            RecordData value,
            List<HeaderData> headers,
            Integer partition,
            JsonNode context,
            Long timestamp) {}

    /**
     * Produce socket, server to client: where the record went, or why it did not ({@code
     * error_code} and {@code message}); one per frame, in the order of the frames.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProduceReply(
            JsonNode context, Integer partition, Long offset, String timestamp, Integer errorCode, String message) {}

    /**
     * Consume socket, client to server: {@code {"type": "credit", "n": N}} grants N more records;
     * {@code {"type": "ack", "partition": p, "offset": o}} acknowledges the records of partition p
     * up to offset o.
     */
    record ControlFrame(String type, Long n, Integer partition, Long offset) {}

    /** Consume socket, server to client, before a close: {@code {"type": "error", ...}}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ErrorFrame(String type, int errorCode, String message) {}
}
