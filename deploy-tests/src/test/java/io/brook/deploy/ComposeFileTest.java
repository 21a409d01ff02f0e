package io.brook.deploy;

import static io.brook.deploy.DeployFiles.cast;
import static io.brook.deploy.DeployFiles.docker;
import static io.brook.deploy.DeployFiles.list;
import static io.brook.deploy.DeployFiles.map;
import static io.brook.deploy.DeployFiles.read;
import static io.brook.deploy.DeployFiles.root;
import static io.brook.deploy.DeployFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code docker/docker-compose.yml} as Compose itself reads it: {@code docker-compose config}
 * (Debian's {@code docker-compose}, v1, which resolves the file, its anchors, merges and
 * variables without a Docker engine) prints the effective configuration, and the tests check that
 * rather than the source text. Skipped where the package is not installed.
 */
class ComposeFileTest {

    private static final List<String> BROKERS = List.of("broker-1", "broker-2", "broker-3");

    private static Map<String, Object> services;
    private static Map<String, Object> config;

    /** Per test, so that a machine without docker-compose counts each test as skipped; run once. */
    @BeforeEach
    void resolveWithDockerCompose() {
        Tool.DOCKER_COMPOSE.require();
        if (config != null) {
            return;
        }
        Tool.Result result = Tool.DOCKER_COMPOSE.require().run(root(), "-f", "docker/docker-compose.yml", "config");
        assertThat(result.exitCode()).as(result.err()).isZero();
        config = yaml(result.out());
        services = map(config.get("services"));
    }

    @Test
    void runsZooKeeperThreeBrokersTheGatewayPrometheusAndGrafana() {
        assertThat(services.keySet())
                .containsExactlyInAnyOrder(
                        "zookeeper", "broker-1", "broker-2", "broker-3", "gateway", "prometheus", "grafana");
        assertThat(service("zookeeper").get("image")).asString().startsWith("zookeeper:3.9");
        assertThat(service("prometheus").get("image")).asString().startsWith("prom/prometheus:");
        assertThat(service("grafana").get("image")).asString().startsWith("grafana/grafana:");
    }

    @Test
    void everyServiceHasAHealthCheck() {
        services.forEach((name, service) -> {
            Map<String, Object> check = map(cast(service).get("healthcheck"));
            assertThat(list(check.get("test"))).as(name).isNotEmpty();
            assertThat(check).as(name).containsKeys("interval", "timeout", "retries");
        });
        for (String broker : BROKERS) {
            assertThat(list(map(service(broker).get("healthcheck")).get("test")))
                    .as(broker)
                    .contains("http://127.0.0.1:8090/actuator/health/readiness");
        }
        assertThat(list(map(service("gateway").get("healthcheck")).get("test")))
                .contains("http://127.0.0.1:8080/actuator/health/readiness");
    }

    @Test
    void brokersAreBuiltFromTheirDockerfileWithOwnIdsAddressesAndVolumes() throws IOException {
        List<String> ids = new ArrayList<>();
        List<Object> hostPorts = new ArrayList<>();
        for (String name : BROKERS) {
            Map<String, Object> broker = service(name);
            Map<String, Object> build = map(broker.get("build"));
            assertThat(Path.of((String) build.get("context")).toRealPath()).isEqualTo(root().toRealPath());
            assertThat(build.get("dockerfile")).isEqualTo("docker/broker/Dockerfile");
            assertThat(Files.isRegularFile(root().resolve("docker/broker/Dockerfile")))
                    .isTrue();

            Map<String, Object> env = map(broker.get("environment"));
            ids.add(String.valueOf(env.get("BROOK_BROKER_ID")));
            assertThat(env.get("BROOK_ZOOKEEPER_CONNECT")).isEqualTo("zookeeper:2181");
            assertThat(env.get("BROOK_BROKER_ADVERTISEDHOST")).isEqualTo(name);
            assertThat(env.get("BROOK_BROKER_DATADIR")).asString().startsWith("/var/lib/brook/");

            // Inside the network at its service name; on the host at the port published for it.
            Map<String, Object> port = cast(list(broker.get("ports")).get(0));
            hostPorts.add(port.get("published"));
            assertThat(env.get("BROOK_BROKER_LISTENERS"))
                    .isEqualTo("INTERNAL://0.0.0.0:9092,EXTERNAL://0.0.0.0:" + port.get("target"));
            assertThat(env.get("BROOK_BROKER_ADVERTISEDLISTENERS"))
                    .isEqualTo("INTERNAL://" + name + ":9092,EXTERNAL://localhost:" + port.get("published"));
            assertThat(env.get("BROOK_BROKER_INTERBROKERLISTENERNAME")).isEqualTo("INTERNAL");

            assertThat(list(broker.get("volumes"))).contains(name + "-data:/var/lib/brook:rw");
            assertThat(map(config.get("volumes"))).containsKey(name + "-data");
            assertThat(condition(broker, "zookeeper")).isEqualTo("service_healthy");
            // Longer than the controlled shutdown's own timeout (30 s), or compose kills it mid-way.
            assertThat(Duration.parse(
                            "PT" + broker.get("stop_grace_period").toString().toUpperCase()))
                    .isGreaterThan(Duration.ofSeconds(30));
        }
        assertThat(ids).containsExactly("1", "2", "3");
        assertThat(hostPorts).containsExactly(9092, 9093, 9094);
    }

    @Test
    void gatewayWaitsForHealthyBrokersAndBootstrapsFromAllOfThem() {
        Map<String, Object> gateway = service("gateway");

        assertThat(map(gateway.get("build")).get("dockerfile")).isEqualTo("docker/gateway/Dockerfile");
        for (String broker : BROKERS) {
            assertThat(condition(gateway, broker)).as(broker).isEqualTo("service_healthy");
        }
        assertThat(map(gateway.get("environment")).get("BROOK_GATEWAY_BOOTSTRAPSERVERS"))
                .isEqualTo("broker-1:9092,broker-2:9092,broker-3:9092");
        assertThat(cast(list(gateway.get("ports")).get(0))).containsEntry("published", 8080);
    }

    @Test
    void prometheusMountsTheCheckedScrapeConfigAndRulesAndScrapesComposeServices() {
        Map<String, String> mounts = bindMounts(service("prometheus"));

        assertThat(mounts)
                .containsEntry("/etc/prometheus/prometheus.yml", "docker/prometheus/prometheus.yml")
                .containsEntry("/etc/prometheus/alerts.yml", "docker/prometheus/alerts.yml");
        Map<String, Object> scrape = yaml(read(docker("prometheus/prometheus.yml")));
        for (Object job : list(scrape.get("scrape_configs"))) {
            String jobName = (String) cast(job).get("job_name");
            if (jobName.startsWith("brook-")) {
                for (Object target : PromtoolTest.targets(cast(job))) {
                    String host =
                            target.toString().substring(0, target.toString().indexOf(':'));
                    assertThat(services).as(jobName + " target " + target).containsKey(host);
                }
            }
        }
    }

    @Test
    void grafanaIsProvisionedWithThePrometheusDatasourceAndTheDashboard() {
        Map<String, String> mounts = bindMounts(service("grafana"));

        assertThat(mounts)
                .containsEntry("/etc/grafana/provisioning/datasources", "docker/grafana/provisioning/datasources")
                .containsEntry("/etc/grafana/provisioning/dashboards", "docker/grafana/provisioning/dashboards");
        // The provider reads the folder the dashboards are mounted on.
        Map<String, Object> providers = yaml(read(docker("grafana/provisioning/dashboards/dashboards.yml")));
        String providerPath =
                (String) map(cast(list(providers.get("providers")).get(0)).get("options"))
                        .get("path");
        assertThat(mounts).containsEntry(providerPath, "docker/grafana/dashboards");
        assertThat(docker("grafana/dashboards/brook.json")).isRegularFile();
        // The datasource points at the compose service.
        Map<String, Object> datasources = yaml(read(docker("grafana/provisioning/datasources/prometheus.yml")));
        assertThat(cast(list(datasources.get("datasources")).get(0)))
                .containsEntry("type", "prometheus")
                .containsEntry("url", "http://prometheus:9090");
        assertThat(condition(service("grafana"), "prometheus")).isEqualTo("service_healthy");
    }

    private static Map<String, Object> service(String name) {
        return cast(services.get(name));
    }

    private static Object condition(Map<String, Object> service, String dependency) {
        return map(map(service.get("depends_on")).get(dependency)).get("condition");
    }

    /** Container path to the repository-relative source of each bind mount ("src:dst[:mode]"). */
    private static Map<String, String> bindMounts(Map<String, Object> service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object volume : list(service.get("volumes"))) {
            String[] parts = volume.toString().split(":");
            if (parts[0].startsWith("/")) {
                Path source = Path.of(parts[0]);
                assertThat(source).as("bind mount source").exists();
                mounts.put(parts[1], root().relativize(source).toString());
            }
        }
        return mounts;
    }
}
