package io.brook.gateway.http.produce;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.error.KafkaErrors;
import io.brook.gateway.http.RecordData;
import io.brook.gateway.http.produce.ProduceV3Json.BatchEntry;
import io.brook.gateway.http.produce.ProduceV3Json.BatchRequest;
import io.brook.gateway.http.produce.ProduceV3Json.HeaderData;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.StringNode;

/**
 * The JSON of {@code records:batch}, read and written with Jackson's streaming parser and
 * generator instead of data binding: the gateway's cost per record on its busiest produce path.
 *
 * <p>Why: profiling {@code records:batch} (100 records a request, JFR samples of the gateway),
 * binding the body to {@link BatchRequest} took a fifth of the gateway's CPU, most of it in
 * databind's creator machinery for records (a parameter buffer, absent-value checks and a method
 * handle per entry, header and key/value), and serialising the answer's {@code
 * BatchSuccess}/{@code SizeData} objects another tenth. Reading the tokens straight into the same
 * {@link BatchEntry} records, and writing the answer's fields straight from the send outcomes,
 * does the same work without that machinery.
 *
 * <p>Same answers as data binding, by construction: {@link #read} takes on its fast path only the
 * shapes whose binding is plain (each field once, of the JSON type its component has, no unknown
 * field, nothing after the body); on anything else (a number where a string is expected, which
 * databind would coerce; an unknown or repeated field; malformed JSON) it reads the body again
 * with {@link JsonMapper#readValue}, which gives the binding's result or its error. {@link #answer}
 * writes the bytes that serialising {@code BatchResponse} writes; {@code BatchJsonTest} holds both
 * to that.
 *
 * <p>Threading: stateless; each call uses its own parser or generator.
 */
final class BatchJson {

    private BatchJson() {}

    /** Thrown by the fast path for a shape it leaves to data binding; no stack trace, it is not an error. */
    static final class NotPlain extends RuntimeException {
        NotPlain() {
            super(null, null, false, false);
        }
    }

    private static final NotPlain NOT_PLAIN = new NotPlain();

    /**
     * The request, as {@code @RequestBody BatchRequest} would bind it; a body that is not JSON, or
     * not of that shape, is a {@link GatewayException} 40001 with Jackson's message, as the web
     * layer answers it.
     */
    static BatchRequest read(byte[] body, JsonMapper json) {
        try {
            return plain(body, json);
        } catch (NotPlain | JacksonException e) {
            return bound(body, json);
        }
    }

    private static BatchRequest bound(byte[] body, JsonMapper json) {
        BatchRequest request;
        try {
            request = json.readValue(body, BatchRequest.class);
        } catch (JacksonException e) {
            throw new GatewayException(
                    ErrorCode.MALFORMED_JSON,
                    "Malformed JSON: "
                            + NestedExceptionUtils.getMostSpecificCause(e).getMessage());
        }
        if (request == null) {
            // The JSON literal null: the web layer takes it as no body at all.
            throw new ServerWebInputException("No request body");
        }
        return request;
    }

    /** The fast path: {@code {"entries": [...]}} of plain entries, or {@link NotPlain}. */
    static BatchRequest plain(byte[] body, JsonMapper json) {
        try (JsonParser p = json.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            List<BatchEntry> entries = null;
            boolean seen = false;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (!"entries".equals(p.currentName()) || seen) {
                    throw NOT_PLAIN;
                }
                seen = true;
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_ARRAY) {
                    entries = new ArrayList<>();
                    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                        entries.add(e == JsonToken.VALUE_NULL ? null : entry(p));
                    }
                } else if (value != JsonToken.VALUE_NULL) {
                    throw NOT_PLAIN;
                }
            }
            if (p.nextToken() != null) {
                throw NOT_PLAIN;
            }
            return new BatchRequest(entries);
        }
    }

    private static final int ID = 1;
    private static final int PARTITION = 2;
    private static final int HEADERS = 4;
    private static final int KEY = 8;
    private static final int VALUE = 16;
    private static final int TIMESTAMP = 32;

    private static BatchEntry entry(JsonParser p) {
        expect(p.currentToken(), JsonToken.START_OBJECT);
        String id = null;
        Integer partition = null;
        List<HeaderData> headers = null;
        RecordData key = null;
        RecordData value = null;
        JsonNode timestamp = null;
        int seen = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            int field = switch (name) {
                case "id" -> ID;
                case "partition_id" -> PARTITION;
                case "headers" -> HEADERS;
                case "key" -> KEY;
                case "value" -> VALUE;
                case "timestamp" -> TIMESTAMP;
                default -> throw NOT_PLAIN;
            };
            if ((seen & field) != 0) {
                throw NOT_PLAIN;
            }
            seen |= field;
            JsonToken token = p.nextToken();
            switch (field) {
                case ID -> id = text(p, token);
                case PARTITION -> partition = integer(p, token);
                case HEADERS -> headers = headers(p, token);
                case KEY -> key = recordData(p, token);
                case VALUE -> value = recordData(p, token);
                default -> timestamp = node(p, token);
            }
        }
        return new BatchEntry(id, partition, headers, key, value, timestamp);
    }

    private static List<HeaderData> headers(JsonParser p, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token, JsonToken.START_ARRAY);
        List<HeaderData> headers = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_NULL) {
                headers.add(null);
                continue;
            }
            expect(t, JsonToken.START_OBJECT);
            String name = null;
            String value = null;
            int seen = 0;
            for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
                int field = switch (p.currentName()) {
                    case "name" -> 1;
                    case "value" -> 2;
                    default -> throw NOT_PLAIN;
                };
                if ((seen & field) != 0) {
                    throw NOT_PLAIN;
                }
                seen |= field;
                String text = text(p, p.nextToken());
                if (field == 1) {
                    name = text;
                } else {
                    value = text;
                }
            }
            headers.add(new HeaderData(name, value));
        }
        return headers;
    }

    private static RecordData recordData(JsonParser p, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token, JsonToken.START_OBJECT);
        String type = null;
        JsonNode data = null;
        int seen = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            int field = switch (p.currentName()) {
                case "type" -> 1;
                case "data" -> 2;
                default -> throw NOT_PLAIN;
            };
            if ((seen & field) != 0) {
                throw NOT_PLAIN;
            }
            seen |= field;
            JsonToken value = p.nextToken();
            if (field == 1) {
                type = text(p, value);
            } else {
                data = node(p, value);
            }
        }
        return new RecordData(type, data);
    }

    /** A {@code JsonNode} component: strings (most values) without the tree reader, the rest with it. */
    private static JsonNode node(JsonParser p, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return NullNode.getInstance();
        }
        if (token == JsonToken.VALUE_STRING) {
            return StringNode.valueOf(p.getString());
        }
        // Through the parser's read context (the mapper's), not readTree(p), which would check
        // that nothing follows the value (FAIL_ON_TRAILING_TOKENS), as for a whole document.
        return p.readValueAsTree();
    }

    private static String text(JsonParser p, JsonToken token) {
        if (token == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        throw NOT_PLAIN;
    }

    private static Integer integer(JsonParser p, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            return p.getIntValue();
        }
        throw NOT_PLAIN;
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw NOT_PLAIN;
        }
    }

    /**
     * The 207 answer, as serialising {@code BatchResponse} writes it: first {@code successes}, then
     * {@code failures}, each in the order of the entries. Per entry, exactly one of {@code
     * errors[i]} (a failure, classified by {@link KafkaErrors}) and {@code
     * acked[i]} is set.
     */
    static byte[] answer(
            JsonMapper json,
            String clusterId,
            List<BatchEntry> entries,
            ProduceService.Outgoing[] encoded,
            Throwable[] errors,
            RecordMetadata[] acked) {
        // About 200 bytes a success; growing the buffer costs more than starting big enough.
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 200 * entries.size());
        try (JsonGenerator g = json.createGenerator(out)) {
            Successes successes = new Successes(clusterId);
            g.writeStartObject();
            g.writeName("successes");
            g.writeStartArray();
            for (int i = 0; i < entries.size(); i++) {
                if (errors[i] == null) {
                    successes.write(g, entries.get(i), encoded[i], acked[i]);
                }
            }
            g.writeEndArray();
            g.writeName("failures");
            g.writeStartArray();
            for (int i = 0; i < entries.size(); i++) {
                if (errors[i] != null) {
                    KafkaErrors.Failure f = KafkaErrors.classify(errors[i]);
                    g.writeStartObject();
                    g.writeStringProperty("id", entries.get(i).id());
                    g.writeNumberProperty("error_code", f.code().code());
                    g.writeStringProperty("message", f.message());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static final SerializedString ID_NAME = new SerializedString("id");
    private static final SerializedString CLUSTER_ID = new SerializedString("cluster_id");
    private static final SerializedString TOPIC_NAME = new SerializedString("topic_name");
    private static final SerializedString PARTITION_ID = new SerializedString("partition_id");
    private static final SerializedString OFFSET = new SerializedString("offset");
    private static final SerializedString TIMESTAMP_NAME = new SerializedString("timestamp");
    private static final SerializedString KEY_NAME = new SerializedString("key");
    private static final SerializedString VALUE_NAME = new SerializedString("value");
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString SIZE = new SerializedString("size");

    /**
     * Writes the successes of one answer. What repeats from one success to the next is encoded
     * once: the names, the cluster id and topic (JSON-escaped once, then copied as bytes), and the
     * timestamp text, which records sent in the same millisecond share (most of a batch, with
     * CreateTime); formatting an {@link Instant} took a seventh of writing a success.
     */
    private static final class Successes {

        private final SerializedString clusterId;
        private SerializedString topic;
        private long lastTimestamp = Long.MIN_VALUE;
        private String lastTimestampText;

        Successes(String clusterId) {
            this.clusterId = new SerializedString(clusterId);
        }

        void write(JsonGenerator g, BatchEntry entry, ProduceService.Outgoing outgoing, RecordMetadata sent) {
            if (topic == null || !topic.getValue().equals(sent.topic())) {
                topic = new SerializedString(sent.topic());
            }
            g.writeStartObject();
            g.writeName(ID_NAME);
            g.writeString(entry.id());
            g.writeName(CLUSTER_ID);
            g.writeString(clusterId);
            g.writeName(TOPIC_NAME);
            g.writeString(topic);
            g.writeName(PARTITION_ID);
            g.writeNumber(sent.partition());
            g.writeName(OFFSET);
            g.writeNumber(sent.hasOffset() ? sent.offset() : -1L);
            g.writeName(TIMESTAMP_NAME);
            g.writeString(sent.hasTimestamp() ? timestamp(sent.timestamp()) : null);
            size(g, KEY_NAME, entry.key(), outgoing.keySize());
            size(g, VALUE_NAME, entry.value(), outgoing.valueSize());
            g.writeEndObject();
        }

        private String timestamp(long millis) {
            if (millis != lastTimestamp) {
                lastTimestamp = millis;
                lastTimestampText = Instant.ofEpochMilli(millis).toString();
            }
            return lastTimestampText;
        }
    }

    /** As {@code ProduceV3Controller.size}: null for a null key or value, else its type and size. */
    private static void size(JsonGenerator g, SerializedString name, RecordData data, int size) {
        g.writeName(name);
        if (data == null || data.data() == null || data.data().isNull()) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeName(TYPE);
        g.writeString(data.type() == null ? "JSON" : data.type().toUpperCase(Locale.ROOT));
        g.writeName(SIZE);
        g.writeNumber(size);
        g.writeEndObject();
    }
}
