package io.brook.gateway.http.consumers;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The JSON of Confluent REST v2 consumer instances (snake_case and dotted keys as Confluent has them). */
final class ConsumersV2Json {

    private ConsumersV2Json() {}

    /**
     * {@code POST /consumers/{group}}. {@code auto.commit.enable} is text or a boolean, as
     * Confluent's clients send either; other Confluent keys (fetch.min.bytes,
     * consumer.request.timeout.ms) are accepted and ignored.
     */
    record CreateRequest(
            String name,
            String format,
            @JsonProperty("auto.offset.reset") String autoOffsetReset,
            @JsonProperty("auto.commit.enable") JsonNode autoCommitEnable) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateResponse(String instanceId, String baseUri) {}

    /** A subscription: {@code topics}, or a {@code topic_pattern} (a Java regex). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Subscription(List<String> topics, String topicPattern) {}

    record PartitionRef(String topic, Integer partition) {}

    record Partitions(List<PartitionRef> partitions) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record OffsetData(String topic, Integer partition, Long offset, String metadata) {}

    record Offsets(List<OffsetData> offsets) {}

    /** A record polled: its key and value in the instance's format (raw JSON, or base64 text). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record V2Record(String topic, JsonNode key, JsonNode value, int partition, long offset) {}
}
