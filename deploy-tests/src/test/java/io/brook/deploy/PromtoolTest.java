package io.brook.deploy;

import static io.brook.deploy.DeployFiles.cast;
import static io.brook.deploy.DeployFiles.docker;
import static io.brook.deploy.DeployFiles.list;
import static io.brook.deploy.DeployFiles.map;
import static io.brook.deploy.DeployFiles.read;
import static io.brook.deploy.DeployFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus files under {@code docker/prometheus/}, checked by Prometheus's own {@code
 * promtool} (Debian's {@code prometheus} package; skipped where it is not installed): the scrape
 * configuration and the alert rules are valid, the rules' unit tests ({@code alerts-test.yml})
 * pass, and they fail when a rule is wrong, so that they are worth passing.
 */
class PromtoolTest {

    private static final Path PROMETHEUS = docker("prometheus");

    @Test
    void scrapeConfigurationIsValidAndLoadsTheRules() {
        Tool.Result result = Tool.PROMTOOL.require().run(PROMETHEUS, "check", "config", "prometheus.yml");

        assertThat(result.exitCode()).as(result.both()).isZero();
        assertThat(result.both()).contains("SUCCESS: 1 rule files found").contains("alerts.yml");
    }

    @Test
    void alertRulesAreValid() {
        Tool.Result result = Tool.PROMTOOL.require().run(PROMETHEUS, "check", "rules", "alerts.yml");

        assertThat(result.exitCode()).as(result.both()).isZero();
        assertThat(result.both()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    @Test
    void alertRulesPassTheirUnitTests() {
        Tool.Result result = Tool.PROMTOOL.require().run(PROMETHEUS, "test", "rules", "alerts-test.yml");

        assertThat(result.exitCode()).as(result.both()).isZero();
        assertThat(result.both()).contains("SUCCESS");
    }

    @Test
    void unitTestsFailWhenARuleStopsFiring(@TempDir Path dir) throws IOException {
        // Two controllers must alert, not only none: a rule reading "< 1" would miss split brain.
        String rules = read(PROMETHEUS.resolve("alerts.yml"));
        String broken = rules.replace(
                "sum(brook_controller_active_controller_count) != 1",
                "sum(brook_controller_active_controller_count) < 1");
        assertThat(broken).isNotEqualTo(rules);
        Files.writeString(dir.resolve("alerts.yml"), broken);
        Files.copy(PROMETHEUS.resolve("alerts-test.yml"), dir.resolve("alerts-test.yml"));

        Tool.Result result = Tool.PROMTOOL.require().run(dir, "test", "rules", "alerts-test.yml");

        assertThat(result.exitCode()).as(result.both()).isNotZero();
        assertThat(result.both()).contains("FAILED").contains("alertname: BrookActiveControllerCount, time: 7m");
    }

    @Test
    void unitTestsFailWhenARuleFiresTooEarly(@TempDir Path dir) throws IOException {
        // A lag alert without its "for:" would page on every burst of produce traffic.
        String rules = read(PROMETHEUS.resolve("alerts.yml"));
        String broken = rules.replace(
                "brook_consumer_group_lag_sum)[10m:1m]) > 0\n        for: 10m",
                "brook_consumer_group_lag_sum)[10m:1m]) > 0\n        for: 0m");
        assertThat(broken).isNotEqualTo(rules);
        Files.writeString(dir.resolve("alerts.yml"), broken);
        Files.copy(PROMETHEUS.resolve("alerts-test.yml"), dir.resolve("alerts-test.yml"));

        Tool.Result result = Tool.PROMTOOL.require().run(dir, "test", "rules", "alerts-test.yml");

        assertThat(result.exitCode()).as(result.both()).isNotZero();
        assertThat(result.both()).contains("alertname: BrookConsumerLagGrowing, time: 6m");
    }

    /** Without promtool too: the alerts the issue asks for exist, labelled, each unit-tested. */
    @Test
    void everyRequiredAlertExistsWithSeverityAndSummaryAndIsUnitTestedFiring() {
        Map<String, Map<String, Object>> alerts = alerts();

        assertThat(alerts)
                .containsKeys(
                        "BrookUnderReplicatedPartitions",
                        "BrookOfflinePartitions",
                        "BrookActiveControllerCount",
                        "BrookConsumerLagGrowing");
        assertThat(alerts.get("BrookUnderReplicatedPartitions").get("expr"))
                .asString()
                .contains("brook_replica_manager_under_replicated_partitions")
                .contains("> 0");
        assertThat(alerts.get("BrookOfflinePartitions").get("expr"))
                .asString()
                .contains("brook_controller_offline_partitions_count")
                .contains("> 0");
        assertThat(alerts.get("BrookActiveControllerCount").get("expr"))
                .asString()
                .isEqualTo("sum(brook_controller_active_controller_count) != 1");
        assertThat(alerts.get("BrookConsumerLagGrowing").get("expr"))
                .asString()
                .contains("brook_consumer_group_lag_sum")
                .containsAnyOf("deriv(", "delta(");

        Set<String> testedFiring = new HashSet<>();
        for (Object test :
                list(yaml(read(PROMETHEUS.resolve("alerts-test.yml"))).get("tests"))) {
            for (Object check : list(cast(test).get("alert_rule_test"))) {
                if (!list(cast(check).get("exp_alerts")).isEmpty()) {
                    testedFiring.add((String) cast(check).get("alertname"));
                }
            }
        }
        alerts.forEach((name, rule) -> {
            assertThat(map(rule.get("labels")).get("severity")).as(name).isIn("critical", "warning");
            assertThat(map(rule.get("annotations"))).as(name).containsKeys("summary", "description");
            assertThat(rule.get("for")).as(name + " has a for: duration").isNotNull();
        });
        assertThat(testedFiring)
                .as("alerts with a unit test that expects them firing")
                .isEqualTo(alerts.keySet());
    }

    @Test
    void scrapeConfigurationScrapesTheBrokersAndTheGatewayActuator() {
        Map<String, Object> config = yaml(read(PROMETHEUS.resolve("prometheus.yml")));
        Map<String, Map<String, Object>> jobs = new LinkedHashMap<>();
        for (Object job : list(config.get("scrape_configs"))) {
            jobs.put((String) cast(job).get("job_name"), cast(job));
        }

        assertThat(jobs).containsKeys("brook-broker", "brook-gateway");
        assertThat(jobs.get("brook-broker").get("metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat(jobs.get("brook-gateway").get("metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat(targets(jobs.get("brook-broker")))
                .containsExactly("broker-1:8090", "broker-2:8090", "broker-3:8090");
        assertThat(targets(jobs.get("brook-gateway"))).containsExactly("gateway:8080");
        assertThat(list(config.get("rule_files"))).containsExactly("alerts.yml");
    }

    static List<Object> targets(Map<String, Object> job) {
        return list(cast(list(job.get("static_configs")).get(0)).get("targets"));
    }

    /** The alerting rules of alerts.yml by name. */
    static Map<String, Map<String, Object>> alerts() {
        Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
        for (Object group : list(yaml(read(PROMETHEUS.resolve("alerts.yml"))).get("groups"))) {
            for (Object rule : list(cast(group).get("rules"))) {
                Map<String, Object> r = cast(rule);
                if (r.containsKey("alert")) {
                    alerts.put((String) r.get("alert"), r);
                }
            }
        }
        return alerts;
    }
}
