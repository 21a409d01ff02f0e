package io.brook.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What commands print: {@code table} (the default, for people) or {@code json} (for scripts).
 *
 * <p>JSON documents are Java records written by Jackson with snake_case names ({@code
 * replicationFactor} becomes {@code replication_factor}): the records are the stable contract of
 * {@code --output json}, so renaming a component is a breaking change.
 */
public enum Output {
    table,
    json;

    private static final ObjectMapper PRETTY = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final ObjectMapper COMPACT =
            new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** Writes one document, indented. */
    public static void printJson(PrintWriter out, Object document) {
        out.println(write(PRETTY, document));
        out.flush();
    }

    /** Writes one document on one line (a record of {@code consume}). */
    public static void printJsonLine(PrintWriter out, Object document) {
        out.println(write(COMPACT, document));
        out.flush();
    }

    private static String write(ObjectMapper mapper, Object document) {
        try {
            return mapper.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * A table as {@code rpk} and the Kafka tools print them: upper-case headers, columns padded to
     * their widest cell and two spaces apart, nulls as {@code -}. Not thread-safe.
     */
    public static final class Table {

        private final List<String> headers;
        private final List<List<String>> rows = new ArrayList<>();

        public Table(String... headers) {
            this.headers = Arrays.asList(headers);
        }

        public Table row(Object... cells) {
            List<String> row = new ArrayList<>();
            for (Object cell : cells) {
                row.add(cell == null ? "-" : String.valueOf(cell));
            }
            rows.add(row);
            return this;
        }

        public boolean isEmpty() {
            return rows.isEmpty();
        }

        public void print(PrintWriter out) {
            int[] widths = new int[headers.size()];
            for (int i = 0; i < widths.length; i++) {
                widths[i] = headers.get(i).length();
                for (List<String> row : rows) {
                    widths[i] = Math.max(widths[i], row.get(i).length());
                }
            }
            line(out, headers, widths);
            rows.forEach(row -> line(out, row, widths));
            out.flush();
        }

        private static void line(PrintWriter out, List<String> cells, int[] widths) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
                line.append(cells.get(i));
                if (i < cells.size() - 1) {
                    line.append(" ".repeat(widths[i] - cells.get(i).length() + 2));
                }
            }
            out.println(line);
        }
    }

    /** {@code KEY  value} lines, keys padded to the longest: the head of a describe. */
    public static void printFields(PrintWriter out, Object... keysAndValues) {
        int width = 0;
        for (int i = 0; i < keysAndValues.length; i += 2) {
            width = Math.max(width, String.valueOf(keysAndValues[i]).length());
        }
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String key = String.valueOf(keysAndValues[i]);
            Object value = keysAndValues[i + 1];
            out.println(key + " ".repeat(width - key.length() + 2) + (value == null ? "-" : value));
        }
        out.flush();
    }
}
