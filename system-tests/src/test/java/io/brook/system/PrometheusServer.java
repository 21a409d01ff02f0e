package io.brook.system;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debian's {@code prometheus} server as a process on a free loopback port, with a scrape
 * configuration generated for the test's processes (jobs {@code brook-broker} and {@code
 * brook-gateway}, as in {@code docker/prometheus/prometheus.yml}), scraping and evaluating every
 * second, and the project's alert rules ({@code docker/prometheus/alerts.yml}) beside it. Read
 * through Prometheus's own HTTP API ({@code /api/v1/targets}, {@code /api/v1/query}, {@code
 * /api/v1/alerts}), as Grafana and an operator do.
 *
 * <p>{@link #requireInstalled} skips the calling test, naming the package, where the server is not
 * installed. Threading: the test's thread only.
 */
final class PrometheusServer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;
    private final int port;
    private final Process process;

    private PrometheusServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Skips the test (JUnit assumption) where Debian's prometheus is not on the PATH. */
    static void requireInstalled() {
        assumeTrue(
                installed(),
                "prometheus is not installed: apt-get install prometheus (.ci/run does); this test is skipped");
    }

    static boolean installed() {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, "prometheus"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts Prometheus on {@code brokers} and {@code gateways} ({@code host:port} of their HTTP
     * ports) with the rules of {@code alertRules}.
     */
    static PrometheusServer start(Path dir, List<String> brokers, List<String> gateways, Path alertRules) {
        int port = FreePorts.next();
        try {
            Files.createDirectories(dir);
            Files.copy(alertRules, dir.resolve("alerts.yml"));
            Files.writeString(dir.resolve("prometheus.yml"), scrapeConfig(brokers, gateways));
            Process process = new ProcessBuilder(
                            "prometheus",
                            "--config.file=" + dir.resolve("prometheus.yml"),
                            "--storage.tsdb.path=" + dir.resolve("data"),
                            "--web.listen-address=127.0.0.1:" + port)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            return new PrometheusServer(dir, port, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The scrape configuration: the contract's job names, 1 s intervals, the rules file beside it. */
    static String scrapeConfig(List<String> brokers, List<String> gateways) {
        return """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - alerts.yml
                scrape_configs:
                  - job_name: brook-broker
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: [%s]
                  - job_name: brook-gateway
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: [%s]
                """.formatted(quoted(brokers), quoted(gateways));
    }

    private static String quoted(List<String> targets) {
        return targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logTail(int lines) {
        return BrokerProcess.tail(dir.resolve("prometheus.log"), lines);
    }

    /** {@code /api/v1/targets}: each active target's scrape URL and health ({@code up}, {@code down}, {@code unknown}). */
    java.util.Map<String, String> targetHealth() throws Exception {
        JsonNode targets = api("/api/v1/targets").path("data").path("activeTargets");
        java.util.Map<String, String> health = new java.util.TreeMap<>();
        for (JsonNode target : targets) {
            health.put(
                    target.path("scrapeUrl").asString(), target.path("health").asString());
        }
        return health;
    }

    /**
     * The value of a PromQL instant query whose result is a single sample; empty while it has no
     * result.
     */
    Optional<Double> query(String promql) throws Exception {
        JsonNode result = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .path("data")
                .path("result");
        if (result.size() == 0) {
            return Optional.empty();
        }
        if (result.size() > 1) {
            throw new IllegalStateException(promql + " has " + result.size() + " series: " + result);
        }
        return Optional.of(Double.parseDouble(result.get(0).path("value").get(1).asString()));
    }

    /** How many series a PromQL instant query returns; fails (from the API) on a query that does not parse. */
    int seriesCount(String promql) throws Exception {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .path("data")
                .path("result")
                .size();
    }

    /** {@code /api/v1/alerts}: the alerts pending or firing now, by name, with their state. */
    java.util.Map<String, String> alerts() throws Exception {
        java.util.Map<String, String> alerts = new java.util.TreeMap<>();
        for (JsonNode alert : api("/api/v1/alerts").path("data").path("alerts")) {
            alerts.merge(
                    alert.path("labels").path("alertname").asString(),
                    alert.path("state").asString(),
                    (a, b) -> a.equals("firing") ? a : b);
        }
        return alerts;
    }

    /** {@code /api/v1/rules}: the names of the rule groups loaded. */
    List<String> ruleGroups() throws Exception {
        return api("/api/v1/rules").path("data").path("groups").findValuesAsString("name");
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
