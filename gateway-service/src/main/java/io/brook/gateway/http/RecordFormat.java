package io.brook.gateway.http;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

/**
 * Turns record keys and values between their JSON forms and Kafka's bytes, for every HTTP and
 * (later) WebSocket path of the gateway.
 *
 * <p>Produce ({@link #encode}): {@code JSON} writes the {@code data} node as compact UTF-8 JSON;
 * {@code STRING} writes the text as UTF-8; {@code BINARY} decodes base64.
 *
 * <p>Read ({@link #decode}), by {@link Format}:
 *
 * <table>
 *   <caption>How read records are encoded</caption>
 *   <tr><th>format</th><th>bytes that are JSON</th><th>other UTF-8 text</th><th>other bytes</th></tr>
 *   <tr><td>{@code auto} (default)</td><td>JSON</td><td>STRING</td><td>BINARY</td></tr>
 *   <tr><td>{@code string}</td><td>STRING</td><td>STRING</td><td>BINARY</td></tr>
 *   <tr><td>{@code binary}</td><td>BINARY</td><td>BINARY</td><td>BINARY</td></tr>
 * </table>
 *
 * So that what is read can be produced again as it is: the {@code type} in each answer says how
 * its {@code data} is encoded.
 *
 * <p>Threading: stateless and thread-safe.
 */
@Component
public class RecordFormat {

    /** How the reading side encodes keys and values. */
    public enum Format {
        AUTO,
        STRING,
        BINARY;

        /** Parses a {@code format} parameter; 400 for an unknown one. */
        public static Format of(String value) {
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new GatewayException(
                        ErrorCode.INVALID_REQUEST, "format must be auto, string or binary, not '" + value + "'.");
            }
        }
    }

    private final JsonMapper json;

    public RecordFormat(JsonMapper json) {
        this.json = json;
    }

    /** The bytes of a key or value to produce; null for a null one. {@code what} names it in errors. */
    public byte[] encode(RecordData data, String what) {
        if (data == null || data.data() == null || data.data().isNull()) {
            return null;
        }
        String type = data.type() == null ? "JSON" : data.type().toUpperCase(Locale.ROOT);
        return switch (type) {
            case "JSON" -> json.writeValueAsBytes(data.data());
            case "STRING" -> text(data.data(), what, type).getBytes(StandardCharsets.UTF_8);
            case "BINARY" -> base64(text(data.data(), what, type), what);
            default ->
                throw new GatewayException(
                        ErrorCode.INVALID_REQUEST,
                        what + ".type must be JSON, STRING or BINARY, not '" + data.type() + "'.");
        };
    }

    /** A JSON value as bytes (REST v2's json format). */
    public byte[] jsonBytes(JsonNode node) {
        return node == null || node.isNull() ? null : json.writeValueAsBytes(node);
    }

    /** Base64 text as bytes; 400 if it is not base64. */
    public static byte[] base64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, what + " is not valid base64: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String what, String type) {
        if (!node.isString()) {
            throw new GatewayException(
                    ErrorCode.INVALID_REQUEST, what + ".data must be a string for type " + type + ".");
        }
        return node.asString();
    }

    /** A read key or value in its JSON form; null for null bytes. */
    public RecordData decode(byte[] bytes, Format format) {
        if (bytes == null) {
            return null;
        }
        if (format == Format.AUTO) {
            JsonNode parsed = parseJson(bytes);
            if (parsed != null) {
                return new RecordData("JSON", parsed);
            }
        }
        if (format != Format.BINARY) {
            String text = utf8(bytes);
            if (text != null) {
                return new RecordData("STRING", StringNode.valueOf(text));
            }
        }
        return new RecordData("BINARY", StringNode.valueOf(Base64.getEncoder().encodeToString(bytes)));
    }

    private JsonNode parseJson(byte[] bytes) {
        if (!mayBeJson(bytes)) {
            return null;
        }
        try {
            return json.readTree(bytes);
        } catch (JacksonException e) {
            return null;
        }
    }

    /**
     * False when {@code bytes} cannot be a JSON text, judged by its first byte after whitespace
     * (RFC 8259: an object, array, string, number, or true/false/null). Most values that are not
     * JSON are told apart here, without a parse: a failed parse throws, and filling in an
     * exception's stack trace cost more than the rest of a record's way to a socket.
     */
    static boolean mayBeJson(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) {
            i++;
        }
        if (i == bytes.length) {
            return false;
        }
        return switch (bytes[i]) {
            case '{', '[', '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> true;
            case 't' -> startsWith(bytes, i, "true");
            case 'f' -> startsWith(bytes, i, "false");
            case 'n' -> startsWith(bytes, i, "null");
            default -> false;
        };
    }

    private static boolean startsWith(byte[] bytes, int from, String literal) {
        if (bytes.length - from < literal.length()) {
            return false;
        }
        for (int i = 0; i < literal.length(); i++) {
            if (bytes[from + i] != literal.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
