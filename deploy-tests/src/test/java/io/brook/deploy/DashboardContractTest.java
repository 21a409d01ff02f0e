package io.brook.deploy;

import static io.brook.deploy.DeployFiles.contractMetrics;
import static io.brook.deploy.DeployFiles.docker;
import static io.brook.deploy.DeployFiles.read;
import static io.brook.deploy.DeployFiles.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard ({@code docker/grafana/dashboards/brook.json}) and the alert rules against
 * the metrics contract ({@code docker/prometheus/README.md}): the dashboard is valid JSON with the
 * sections the issue asks for, every panel queries the ${datasource} variable, and every metric
 * that a panel, a variable or an alert names is one the brokers or the gateway export (or will,
 * per the contract). A typo in a metric name would otherwise show as an empty panel, or an alert
 * that never fires, long after the fact.
 */
class DashboardContractTest {

    /** PromQL identifiers; metric names are those starting with the exporters' prefixes. */
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    /** The series Micrometer derives from a timer or summary: name_count, name_sum, ... */
    private static final List<String> DERIVED_SUFFIXES = List.of("_count", "_sum", "_bucket", "_max");

    /** Label values and strings in a query are not metric names. */
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"");

    private static JsonNode dashboard;

    /** Panels under each row title, in the order of the dashboard. */
    private static final Map<String, List<JsonNode>> sections = new LinkedHashMap<>();

    @BeforeAll
    static void parse() {
        dashboard = JsonMapper.builder().build().readTree(read(docker("grafana/dashboards/brook.json")));
        String row = "(before any row)";
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asString().equals("row")) {
                row = panel.path("title").asString();
                sections.put(row, new ArrayList<>());
            } else {
                sections.computeIfAbsent(row, r -> new ArrayList<>()).add(panel);
            }
        }
    }

    @Test
    void dashboardHasTheSectionsOfTheIssueEachWithPanels() {
        assertThat(dashboard.path("uid").asString()).isEqualTo("brook-overview");
        assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
        assertThat(sections.keySet())
                .containsSubsequence(
                        "Cluster overview",
                        "Throughput per topic",
                        "Request latency",
                        "Replication health",
                        "Consumer lag");
        assertThat(sections).doesNotContainKey("(before any row)");
        sections.forEach((title, panels) -> assertThat(panels).as(title).isNotEmpty());

        assertThat(metricsOf("Cluster overview"))
                .contains(
                        "brook_controller_active_controller_count",
                        "brook_controller_offline_partitions_count",
                        "brook_replica_manager_under_replicated_partitions");
        assertThat(metricsOf("Throughput per topic"))
                .contains(
                        "brook_broker_topic_messages_in_total",
                        "brook_broker_topic_bytes_in_total",
                        "brook_broker_topic_bytes_out_total");
        assertThat(metricsOf("Request latency")).contains("brook_request_total_time_ms");
        assertThat(metricsOf("Replication health"))
                .contains("brook_replica_manager_isr_shrinks_total", "brook_controller_unclean_leader_elections_total");
        assertThat(metricsOf("Consumer lag")).contains("brook_consumer_group_lag_sum", "brook_consumer_group_lag");
    }

    @Test
    void everyPanelQueriesTheDatasourceVariableWithAtLeastOneQuery() {
        sections.values().stream().flatMap(List::stream).forEach(panel -> {
            String title = panel.path("title").asString();
            assertThat(panel.path("datasource").path("uid").asString())
                    .as(title)
                    .isEqualTo("${datasource}");
            assertThat(panel.path("targets").size()).as(title).isPositive();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asString()).as(title).isNotBlank();
                assertThat(target.path("refId").asString()).as(title).isNotBlank();
            }
        });
        JsonNode datasource = variable("datasource");
        assertThat(datasource.path("type").asString()).isEqualTo("datasource");
        assertThat(datasource.path("query").asString()).isEqualTo("prometheus");
    }

    @Test
    void panelsHaveUniqueIdsAndDoNotOverlap() {
        Set<Integer> ids = new HashSet<>();
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("id of " + panel.path("title"))
                    .isTrue();
            JsonNode g = panel.path("gridPos");
            int[] box = {
                g.path("x").asInt(),
                g.path("y").asInt(),
                g.path("w").asInt(),
                g.path("h").asInt()
            };
            assertThat(box[2]).as(panel.path("title").asString()).isPositive();
            assertThat(box[0] + box[2]).as(panel.path("title").asString()).isLessThanOrEqualTo(24);
            for (int[] other : boxes) {
                boolean overlap = box[0] < other[0] + other[2]
                        && other[0] < box[0] + box[2]
                        && box[1] < other[1] + other[3]
                        && other[1] < box[1] + box[3];
                assertThat(overlap)
                        .as(panel.path("title") + " overlaps another panel")
                        .isFalse();
            }
            boxes.add(box);
        }
    }

    @Test
    void everyMetricTheDashboardQueriesIsInTheContract() {
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                used.addAll(metricNames(target.path("expr").asString()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            used.addAll(metricNames(variable.path("definition").asString()));
        }

        assertThat(used).hasSizeGreaterThan(20);
        assertThat(notInContract(used))
                .as("metrics missing from docker/prometheus/README.md")
                .isEmpty();
    }

    @Test
    void everyMetricTheAlertRulesQueryIsInTheContract() {
        Set<String> used = new TreeSet<>();
        PromtoolTest.alerts()
                .values()
                .forEach(rule -> used.addAll(metricNames(rule.get("expr").toString())));

        assertThat(used)
                .contains(
                        "brook_replica_manager_under_replicated_partitions",
                        "brook_controller_offline_partitions_count",
                        "brook_controller_active_controller_count",
                        "brook_consumer_group_lag_sum");
        assertThat(notInContract(used))
                .as("metrics missing from docker/prometheus/README.md")
                .isEmpty();
    }

    @Test
    void contractNamesWhatTheChartTheRulesAndTheGatewayRelyOn() {
        assertThat(contractMetrics())
                .contains(
                        // The Helm chart's PrometheusRule uses these four.
                        "brook_replica_manager_under_replicated_partitions",
                        "brook_controller_offline_partitions_count",
                        "brook_controller_active_controller_count",
                        "brook_consumer_group_lag_sum",
                        "brook_consumer_group_lag",
                        "brook_broker_topic_messages_in_total",
                        "brook_request_total_time_ms",
                        // Exported by the gateway today (ProduceIT reads the first back).
                        "brook_gateway_produced_records_total",
                        "http_server_requests_seconds");
    }

    /**
     * The Helm chart ships this dashboard as a ConfigMap for Grafana's sidecar; Helm reads only
     * files inside the chart, so the chart holds a copy, which must not drift from this one.
     */
    @Test
    void helmChartShipsTheSameDashboard() {
        Path helmCopy = root().resolve("helm/brook/dashboards/brook.json");
        assumeTrue(Files.exists(helmCopy), "no Helm chart dashboard in this tree (helm/brook/dashboards/brook.json)");

        assertThat(read(helmCopy))
                .as("helm/brook/dashboards/brook.json must be a copy of docker/grafana/dashboards/brook.json"
                        + " (cp docker/grafana/dashboards/brook.json helm/brook/dashboards/)")
                .isEqualTo(read(docker("grafana/dashboards/brook.json")));
    }

    /** The check above is only worth something if it notices a name that is not there. */
    @Test
    void theCheckCatchesAMisspelledMetric() {
        Set<String> used = metricNames(
                "sum by (topic) (rate(brook_broker_topic_message_in_total{topic=~\"brook_x\"}[$__rate_interval]))"
                        + " / on() group_left brook_request_total_time_ms_count");

        assertThat(used).containsExactly("brook_broker_topic_message_in_total", "brook_request_total_time_ms_count");
        assertThat(notInContract(used)).containsExactly("brook_broker_topic_message_in_total");
    }

    static Set<String> metricNames(String promql) {
        Set<String> names = new LinkedHashSet<>();
        String unquoted = QUOTED.matcher(promql).replaceAll("\"\"");
        Matcher m = IDENTIFIER.matcher(unquoted);
        while (m.find()) {
            String id = m.group();
            boolean variable = m.start() > 0 && unquoted.charAt(m.start() - 1) == '$';
            if (!variable && (id.startsWith("brook_") || id.startsWith("http_server_") || id.equals("up"))) {
                names.add(id);
            }
        }
        return names;
    }

    private static Set<String> notInContract(Set<String> used) {
        Set<String> contract = contractMetrics();
        Set<String> missing = new TreeSet<>();
        for (String name : used) {
            // Prometheus's own up{job=...} is not exported by Brook; the contract mentions it.
            if (!name.equals("up") && !contract.contains(contractName(name, contract))) {
                missing.add(name);
            }
        }
        return missing;
    }

    /**
     * The contract's name for a series name: itself, or the timer or summary it derives from
     * ({@code brook_request_total_time_ms_count}).
     */
    private static String contractName(String name, Set<String> contract) {
        if (contract.contains(name)) {
            return name;
        }
        for (String suffix : DERIVED_SUFFIXES) {
            String base = name.substring(0, Math.max(0, name.length() - suffix.length()));
            if (name.endsWith(suffix) && contract.contains(base)) {
                return base;
            }
        }
        return name;
    }

    private static Set<String> metricsOf(String section) {
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : sections.get(section)) {
            for (JsonNode target : panel.path("targets")) {
                for (String name : metricNames(target.path("expr").asString())) {
                    names.add(contractName(name, contractMetrics()));
                }
            }
        }
        return names;
    }

    private static JsonNode variable(String name) {
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("name").asString().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("no dashboard variable " + name);
    }
}
