package io.brook.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment files under test, found from the module's folder: the repository root is the
 * first parent holding {@code mvnw} and {@code docker/}. Maven runs tests with the module as the
 * working directory; an IDE may run them from the root; both work.
 *
 * <p>Also the one reader of the metrics contract, the tables of {@code docker/prometheus/README.md}
 * whose first column names the metrics the brokers and the gateway export.
 *
 * <p>Threading: stateless; thread-safe.
 */
final class DeployFiles {

    /** Backticked names in a table row's first cell: {@code | `brook_x`, `brook_y` | ...}. */
    private static final Pattern CONTRACT_ROW = Pattern.compile("^\\|([^|]*)\\|");

    private static final Pattern BACKTICKED = Pattern.compile("`([a-z_:][a-z0-9_:]*)`");

    private DeployFiles() {}

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("docker"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (mvnw and docker/) above " + dir);
    }

    static Path docker(String relative) {
        return root().resolve("docker").resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A YAML document as maps and lists, with SnakeYAML's safe constructor (no Java types). */
    static Map<String, Object> yaml(String text) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (!(doc instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("not a YAML mapping");
        }
        return cast(map);
    }

    /**
     * The metric names of the contract: every backticked name in the first cell of a table row
     * of {@code docker/prometheus/README.md}, as Prometheus sees it (counters with their {@code
     * _total}, summaries and timers by their base name).
     */
    static Set<String> contractMetrics() {
        Set<String> names = new TreeSet<>();
        for (String line : read(docker("prometheus/README.md")).split("\n")) {
            Matcher row = CONTRACT_ROW.matcher(line);
            if (row.find()) {
                Matcher name = BACKTICKED.matcher(row.group(1));
                while (name.find()) {
                    names.add(name.group(1));
                }
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? new ArrayList<>() : (List<Object>) value;
    }

    static Map<String, Object> map(Object value) {
        return value == null ? new LinkedHashMap<>() : cast(value);
    }
}
