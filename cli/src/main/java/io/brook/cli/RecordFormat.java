package io.brook.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code consume --format}: a template with kcat's {@code -f} placeholders, compiled once and
 * applied per record.
 *
 * <table>
 *   <caption>Placeholders</caption>
 *   <tr><th>token</th><th>replaced by</th></tr>
 *   <tr><td>{@code %t}</td><td>topic</td></tr>
 *   <tr><td>{@code %p}</td><td>partition</td></tr>
 *   <tr><td>{@code %o}</td><td>offset</td></tr>
 *   <tr><td>{@code %k}</td><td>key, UTF-8 (empty when null)</td></tr>
 *   <tr><td>{@code %v}, {@code %s}</td><td>value, UTF-8 (empty when null)</td></tr>
 *   <tr><td>{@code %K}, {@code %S}</td><td>key, value length in bytes ({@code -1} when null)</td></tr>
 *   <tr><td>{@code %T}</td><td>timestamp, epoch milliseconds</td></tr>
 *   <tr><td>{@code %h}</td><td>headers, {@code k=v} comma-separated</td></tr>
 *   <tr><td>{@code %%}</td><td>{@code %}</td></tr>
 *   <tr><td>{@code \n}, {@code \t}, {@code \\}</td><td>newline, tab, backslash</td></tr>
 * </table>
 *
 * <p>No newline is added: the default format is {@code %v\n}. Immutable and thread-safe.
 */
final class RecordFormat {

    static final String DEFAULT = "%v\\n";

    private final List<Function<ConsumerRecord<byte[], byte[]>, String>> parts;

    private RecordFormat(List<Function<ConsumerRecord<byte[], byte[]>, String>> parts) {
        this.parts = List.copyOf(parts);
    }

    static RecordFormat compile(String template) {
        List<Function<ConsumerRecord<byte[], byte[]>, String>> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if ((c == '%' || c == '\\') && i + 1 < template.length()) {
                char next = template.charAt(++i);
                Function<ConsumerRecord<byte[], byte[]>, String> part = c == '%' ? placeholder(next) : null;
                if (c == '%' && next == '%') {
                    literal.append('%');
                } else if (c == '\\') {
                    literal.append(
                            switch (next) {
                                case 'n' -> "\n";
                                case 't' -> "\t";
                                case 'r' -> "\r";
                                case '\\' -> "\\";
                                default -> "\\" + next;
                            });
                } else if (part == null) {
                    throw new TypeConversionException("unknown placeholder %" + next
                            + " in the format (known: %t %p %o %k %v %s %K %S %T %h %%)");
                } else {
                    flush(literal, parts);
                    parts.add(part);
                }
            } else {
                literal.append(c);
            }
        }
        flush(literal, parts);
        return new RecordFormat(parts);
    }

    String apply(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder out = new StringBuilder();
        parts.forEach(part -> out.append(part.apply(record)));
        return out.toString();
    }

    private static void flush(StringBuilder literal, List<Function<ConsumerRecord<byte[], byte[]>, String>> parts) {
        if (!literal.isEmpty()) {
            String text = literal.toString();
            parts.add(r -> text);
            literal.setLength(0);
        }
    }

    private static Function<ConsumerRecord<byte[], byte[]>, String> placeholder(char c) {
        return switch (c) {
            case 't' -> ConsumerRecord::topic;
            case 'p' -> r -> String.valueOf(r.partition());
            case 'o' -> r -> String.valueOf(r.offset());
            case 'k' -> r -> text(r.key());
            case 'v', 's' -> r -> text(r.value());
            case 'K' -> r -> String.valueOf(r.key() == null ? -1 : r.key().length);
            case 'S' -> r -> String.valueOf(r.value() == null ? -1 : r.value().length);
            case 'T' -> r -> String.valueOf(r.timestamp());
            case 'h' -> RecordFormat::headers;
            default -> null;
        };
    }

    static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    static String headers(ConsumerRecord<byte[], byte[]> record) {
        List<String> pairs = new ArrayList<>();
        for (Header h : record.headers()) {
            pairs.add(h.key() + "=" + text(h.value()));
        }
        return String.join(",", pairs);
    }

    /** picocli's converter for {@code --format}. */
    static final class Converter implements ITypeConverter<RecordFormat> {
        @Override
        public RecordFormat convert(String value) {
            return compile(value);
        }
    }

    /** The bytes of a string as produced: UTF-8. */
    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
