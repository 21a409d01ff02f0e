package io.brook.gateway.http.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.http.RecordData;
import io.brook.gateway.http.produce.ProduceV3Json.BatchEntry;
import io.brook.gateway.http.produce.ProduceV3Json.BatchFailure;
import io.brook.gateway.http.produce.ProduceV3Json.BatchRequest;
import io.brook.gateway.http.produce.ProduceV3Json.BatchResponse;
import io.brook.gateway.http.produce.ProduceV3Json.BatchSuccess;
import io.brook.gateway.http.produce.ProduceV3Json.SizeData;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link BatchJson} against data binding, which it replaces on the {@code records:batch} path: the
 * bodies it reads itself must bind to the very same {@link BatchRequest}, the others must go to
 * data binding, and its answer must be byte for byte what serialising {@link BatchResponse} gives.
 */
class BatchJsonTest {

    final JsonMapper json = JsonMapper.builder().build();

    BatchRequest bound(String body) {
        return json.readValue(body, BatchRequest.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"entries\": [{\"id\": \"1\", \"value\": {\"type\": \"STRING\", \"data\": \"x\"}}]}",
                "{\"entries\": [{\"id\": \"a\", \"partition_id\": 2, \"key\": {\"data\": {\"k\": [1, 2.5, true, null]}},"
                        + " \"value\": {\"type\": \"JSON\", \"data\": \"text \\\"quoted\\\" \\u00e9\"},"
                        + " \"headers\": [{\"name\": \"h\", \"value\": \"aGk=\"}, {\"name\": \"n\", \"value\": null}, null],"
                        + " \"timestamp\": \"2024-01-31T12:00:00Z\"},"
                        + " {\"id\": \"b\", \"value\": {\"type\": \"BINARY\", \"data\": \"AAEC\"}, \"timestamp\": 1700000000000},"
                        + " {\"id\": \"c\", \"value\": null, \"key\": {\"type\": \"STRING\", \"data\": null}, \"headers\": null},"
                        + " {\"id\": \"d\", \"value\": {\"data\": 12345678901234567890}, \"timestamp\": null, \"partition_id\": null},"
                        + " {\"id\": null, \"value\": {}}, {}, null]}",
                "{\"entries\": []}",
                "{\"entries\": null}",
                "{}",
                " \n{\"entries\": [{\"id\": \"1\", \"value\": {\"data\": -0.0e10}}]}\n ",
            })
    void plainBodiesAreReadAsDataBindingReadsThem(String body) {
        assertThat(BatchJson.plain(body.getBytes(StandardCharsets.UTF_8), json)).isEqualTo(bound(body));
        assertThat(BatchJson.read(body.getBytes(StandardCharsets.UTF_8), json)).isEqualTo(bound(body));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // Databind coerces these scalars; the fast path leaves them to it.
                "{\"entries\": [{\"id\": 5, \"value\": {\"data\": 1}}]}",
                "{\"entries\": [{\"id\": \"5\", \"partition_id\": \"1\"}]}",
                "{\"entries\": [{\"id\": \"5\", \"partition_id\": 3000000000}]}",
                "{\"entries\": [{\"id\": \"5\", \"headers\": [{\"name\": 7}]}]}",
                // Unknown and repeated fields.
                "{\"entries\": [{\"id\": \"5\", \"extra\": {\"a\": 1}}], \"more\": 1}",
                "{\"entries\": [{\"id\": \"5\", \"id\": \"6\"}]}",
                "{\"entries\": [{\"id\": \"5\", \"value\": {\"data\": 1, \"schema_id\": 3}}]}",
            })
    void otherShapesGoToDataBindingAndGetItsResult(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> BatchJson.plain(bytes, json)).isInstanceOf(BatchJson.NotPlain.class);
        BatchRequest expected;
        try {
            expected = bound(body);
        } catch (RuntimeException e) {
            assertThatThrownBy(() -> BatchJson.read(bytes, json))
                    .isInstanceOfSatisfying(
                            GatewayException.class,
                            g -> assertThat(g.errorCode()).isEqualTo(ErrorCode.MALFORMED_JSON));
            return;
        }
        assertThat(BatchJson.read(bytes, json)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"entries\": [", "[]", "{\"entries\": {}}", "not json", "{\"entries\": [{\"id\": }]}"})
    void malformedBodiesAre40001WithJacksonsMessage(String body) {
        assertThatThrownBy(() -> BatchJson.read(body.getBytes(StandardCharsets.UTF_8), json))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.MALFORMED_JSON);
                    assertThat(e.getMessage()).startsWith("Malformed JSON: ");
                });
    }

    /** With a character that JSON escapes, as a configured cluster id may have. */
    static final String CLUSTER = "cluster\"1";

    @Test
    void theAnswerIsWhatSerialisingTheResponseObjectsWrites() {
        List<BatchEntry> entries = List.of(
                new BatchEntry("a", null, null, null, new RecordData("string", json.readTree("\"x\"")), null),
                new BatchEntry("b", 1, null, null, null, null),
                new BatchEntry(
                        "c\"q",
                        null,
                        null,
                        new RecordData(null, json.readTree("{\"k\": 1}")),
                        new RecordData("BINARY", json.readTree("\"AAE=\"")),
                        null),
                new BatchEntry("d", null, null, null, new RecordData("JSON", json.readTree("null")), null),
                new BatchEntry("e", null, null, null, new RecordData("STRING", json.readTree("\"y\"")), null),
                new BatchEntry("f", null, null, null, new RecordData("STRING", json.readTree("\"z\"")), null));
        ProduceService.Outgoing[] encoded = {
            new ProduceService.Outgoing(null, null, new byte[1], List.of(), null),
            new ProduceService.Outgoing(1, null, null, List.of(), null),
            new ProduceService.Outgoing(null, new byte[7], new byte[2], List.of(), null),
            new ProduceService.Outgoing(null, null, null, List.of(), null),
            new ProduceService.Outgoing(null, null, new byte[1], List.of(), null),
            new ProduceService.Outgoing(null, null, new byte[1], List.of(), null),
        };
        Throwable[] errors = {
            null,
            new NotEnoughReplicasException("Too few in-sync replicas."),
            null,
            new GatewayException(ErrorCode.INVALID_REQUEST, "bad \"value\""),
            null,
            null
        };
        RecordMetadata[] acked = {
            new RecordMetadata(new TopicPartition("t", 0), 41, 1, 1_700_000_000_123L, 0, 1),
            null,
            // acks=0 and no timestamp: offset -1, timestamp null.
            new RecordMetadata(new TopicPartition("t", 2), -1, -1, -1, 7, 2),
            null,
            // The same millisecond as the first, then another.
            new RecordMetadata(new TopicPartition("t", 0), 42, 1, 1_700_000_000_123L, 0, 1),
            new RecordMetadata(new TopicPartition("t", 0), 43, 1, 1_700_000_000_124L, 0, 1)
        };

        List<BatchSuccess> successes = new ArrayList<>();
        List<BatchFailure> failures = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            BatchEntry entry = entries.get(i);
            if (errors[i] != null) {
                var f = io.brook.gateway.error.KafkaErrors.classify(errors[i]);
                failures.add(new BatchFailure(entry.id(), f.code().code(), f.message()));
            } else {
                RecordMetadata sent = acked[i];
                successes.add(new BatchSuccess(
                        entry.id(),
                        CLUSTER,
                        sent.topic(),
                        sent.partition(),
                        sent.hasOffset() ? sent.offset() : -1L,
                        sent.hasTimestamp()
                                ? Instant.ofEpochMilli(sent.timestamp()).toString()
                                : null,
                        size(entry.key(), encoded[i].keySize()),
                        size(entry.value(), encoded[i].valueSize())));
            }
        }
        String expected = json.writeValueAsString(new BatchResponse(successes, failures));

        String answer =
                new String(BatchJson.answer(json, CLUSTER, entries, encoded, errors, acked), StandardCharsets.UTF_8);

        assertThat(answer).isEqualTo(expected);
        assertThat(answer)
                .contains("\"offset\":-1", "\"timestamp\":null", "\"error_code\":50301", "2023-11-14T22:13:20.124Z");
    }

    static SizeData size(RecordData data, int size) {
        if (data == null || data.data() == null || data.data().isNull()) {
            return null;
        }
        return new SizeData(data.type() == null ? "JSON" : data.type().toUpperCase(Locale.ROOT), size);
    }
}
