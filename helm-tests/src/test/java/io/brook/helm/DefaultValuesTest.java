package io.brook.helm;

import static io.brook.helm.Manifests.PREFIX;
import static io.brook.helm.Manifests.container;
import static io.brook.helm.Manifests.envValue;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code helm template} with the chart's default values: three ZooKeeper servers, three brokers,
 * two gateways, read back into the Kubernetes model and checked object by object.
 */
class DefaultValuesTest {

    private static Manifests manifests;

    @BeforeAll
    static void render() {
        manifests = HelmChart.withDefaults().render();
    }

    @Test
    void brokersAreAStatefulSetOfThreeWithAVolumeClaimEach() {
        StatefulSet brokers = manifests.statefulSet("broker");

        assertThat(brokers.getSpec().getReplicas()).isEqualTo(3);
        assertThat(brokers.getSpec().getServiceName()).isEqualTo(PREFIX + "-broker-headless");
        assertThat(brokers.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(brokers.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");

        List<PersistentVolumeClaim> claims = brokers.getSpec().getVolumeClaimTemplates();
        assertThat(claims).hasSize(1);
        PersistentVolumeClaim data = claims.get(0);
        assertThat(data.getMetadata().getName()).isEqualTo("data");
        assertThat(data.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(data.getSpec().getResources().getRequests().get("storage").toString())
                .isEqualTo("20Gi");
        assertThat(data.getSpec().getStorageClassName())
                .as("the cluster's default class")
                .isNull();
        assertThat(container(brokers).getVolumeMounts())
                .anyMatch(m -> m.getName().equals("data") && m.getMountPath().equals("/var/lib/brook/data"));
        assertThat(manifests.properties("broker-config", "broker.properties"))
                .containsEntry("brook.broker.data-dir", "/var/lib/brook/data/logs");
    }

    @Test
    void everyBrokerPodFindsItsOwnIdAndAdvertisedAddressByName() {
        StatefulSet brokers = manifests.statefulSet("broker");
        Container broker = container(brokers);

        assertThat(Manifests.env(broker)
                        .get("POD_NAME")
                        .getValueFrom()
                        .getFieldRef()
                        .getFieldPath())
                .isEqualTo("metadata.name");
        assertThat(envValue(broker, "SPRING_CONFIG_ADDITIONALLOCATION"))
                .isEqualTo("file:/etc/brook/config/broker.properties,file:/etc/brook/pods/$(POD_NAME).properties");
        assertThat(broker.getVolumeMounts())
                .anyMatch(m -> m.getName().equals("pods") && m.getMountPath().equals("/etc/brook/pods"));
        assertThat(brokers.getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(v ->
                        v.getName().equals("pods") && v.getConfigMap().getName().equals(PREFIX + "-broker-pods"));

        ConfigMap pods = manifests.configMap("broker-pods");
        assertThat(pods.getData()).hasSize(3);
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            String pod = brokers.getMetadata().getName() + "-" + ordinal;
            Properties file = manifests.properties("broker-pods", pod + ".properties");
            assertThat(file)
                    .containsEntry("brook.broker.id", String.valueOf(ordinal))
                    .containsEntry(
                            "brook.broker.advertised-host",
                            pod + "." + PREFIX + "-broker-headless." + HelmChart.NAMESPACE + ".svc.cluster.local");
            assertThat(file)
                    .as("one plain listener: no named listeners")
                    .doesNotContainKey("brook.broker.advertised-listeners");
        }
    }

    @Test
    void brokerSettingsPointAtTheChartsZooKeeperWithReplicationForThreeBrokers() {
        Properties config = manifests.properties("broker-config", "broker.properties");

        assertThat(config.getProperty("brook.zookeeper.connect"))
                .isEqualTo(String.join(",", zkHost(0) + ":2181", zkHost(1) + ":2181", zkHost(2) + ":2181"));
        assertThat(config)
                .containsEntry("brook.broker.default-replication-factor", "3")
                .containsEntry("brook.broker.topic-defaults[min.insync.replicas]", "2")
                .containsEntry("brook.broker.offsets-topic-replication-factor", "3")
                .containsEntry("brook.broker.controlled-shutdown-enable", "true")
                .containsEntry("brook.broker.controlled-shutdown-timeout", "30s")
                .containsEntry("brook.broker.port", "9092")
                .containsEntry("server.port", "8090")
                .doesNotContainKey("brook.broker.listeners");
        assertThat(config.getProperty("management.endpoints.web.exposure.include"))
                .contains("prometheus");
    }

    @Test
    void brokerProbesUseTheActuatorOnTheHttpPort() {
        Container broker = container(manifests.statefulSet("broker"));

        assertThat(broker.getPorts())
                .anyMatch(p -> p.getName().equals("http") && p.getContainerPort() == 8090)
                .anyMatch(p -> p.getName().equals("kafka") && p.getContainerPort() == 9092);
        assertHttpProbe(broker.getStartupProbe(), "/actuator/health/liveness");
        assertHttpProbe(broker.getLivenessProbe(), "/actuator/health/liveness");
        assertHttpProbe(broker.getReadinessProbe(), "/actuator/health/readiness");
        assertThat(broker.getStartupProbe().getFailureThreshold()
                        * broker.getStartupProbe().getPeriodSeconds())
                .as("seconds allowed for log recovery before liveness counts")
                .isGreaterThanOrEqualTo(300);
    }

    @Test
    void aStoppingBrokerHasTimeForItsControlledShutdown() {
        StatefulSet brokers = manifests.statefulSet("broker");
        PodSpec pod = brokers.getSpec().getTemplate().getSpec();
        Container broker = container(brokers);

        List<String> preStop = broker.getLifecycle().getPreStop().getExec().getCommand();
        assertThat(preStop).containsExactly("sh", "-c", "sleep 5");
        long controlledShutdown = parseSeconds(manifests
                .properties("broker-config", "broker.properties")
                .getProperty("brook.broker.controlled-shutdown-timeout"));
        long shutdown = parseSeconds(manifests
                .properties("broker-config", "broker.properties")
                .getProperty("brook.broker.shutdown-timeout"));
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(5 + controlledShutdown + shutdown);
    }

    @Test
    void podsOfEachPartPreferDifferentNodesAndSpreadOverZones() {
        for (PodSpec pod : List.of(
                manifests.statefulSet("broker").getSpec().getTemplate().getSpec(),
                manifests.deployment("gateway").getSpec().getTemplate().getSpec(),
                manifests.statefulSet("zookeeper").getSpec().getTemplate().getSpec())) {
            assertThat(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                    .isEmpty();
            PodAffinityTerm term = pod.getAffinity()
                    .getPodAntiAffinity()
                    .getPreferredDuringSchedulingIgnoredDuringExecution()
                    .get(0)
                    .getPodAffinityTerm();
            assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(term.getLabelSelector().getMatchLabels()).isNotEmpty();
        }
        StatefulSet brokers = manifests.statefulSet("broker");
        assertThat(brokers.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getAffinity()
                        .getPodAntiAffinity()
                        .getPreferredDuringSchedulingIgnoredDuringExecution()
                        .get(0)
                        .getPodAffinityTerm()
                        .getLabelSelector()
                        .getMatchLabels())
                .as("the anti-affinity selects the brokers themselves")
                .isEqualTo(brokers.getSpec().getSelector().getMatchLabels());
        TopologySpreadConstraint spread = brokers.getSpec()
                .getTemplate()
                .getSpec()
                .getTopologySpreadConstraints()
                .get(0);
        assertThat(spread.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
        assertThat(spread.getMaxSkew()).isEqualTo(1);
        assertThat(spread.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
        assertThat(spread.getLabelSelector().getMatchLabels())
                .isEqualTo(brokers.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void disruptionBudgetsLetOneBrokerAndOneZooKeeperServerGoAtATime() {
        PodDisruptionBudget brokers = manifests.pdb("broker");
        assertThat(brokers.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(brokers.getSpec().getSelector().getMatchLabels())
                .isEqualTo(
                        manifests.statefulSet("broker").getSpec().getSelector().getMatchLabels());

        PodDisruptionBudget zookeeper = manifests.pdb("zookeeper");
        assertThat(zookeeper.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(zookeeper.getSpec().getSelector().getMatchLabels())
                .isEqualTo(manifests
                        .statefulSet("zookeeper")
                        .getSpec()
                        .getSelector()
                        .getMatchLabels());

        PodDisruptionBudget gateways = manifests.pdb("gateway");
        assertThat(gateways.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    }

    @Test
    void selectorsOfEveryServiceAndWorkloadMatchTheirPods() {
        StatefulSet brokers = manifests.statefulSet("broker");
        Map<String, String> brokerPodLabels =
                brokers.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(brokerPodLabels)
                .containsAllEntriesOf(brokers.getSpec().getSelector().getMatchLabels());

        Service headless = manifests.service("broker-headless");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(brokerPodLabels).containsAllEntriesOf(headless.getSpec().getSelector());
        Service bootstrap = manifests.service("broker");
        assertThat(brokerPodLabels).containsAllEntriesOf(bootstrap.getSpec().getSelector());
        assertThat(bootstrap.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(9092));

        Deployment gateway = manifests.deployment("gateway");
        Map<String, String> gatewayPodLabels =
                gateway.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(gatewayPodLabels)
                .containsAllEntriesOf(gateway.getSpec().getSelector().getMatchLabels());
        assertThat(gatewayPodLabels)
                .containsAllEntriesOf(manifests.service("gateway").getSpec().getSelector());
        assertThat(gatewayPodLabels
                        .entrySet()
                        .containsAll(
                                brokers.getSpec().getSelector().getMatchLabels().entrySet()))
                .as("the broker selector does not catch gateway pods")
                .isFalse();
        assertThat(brokerPodLabels
                        .entrySet()
                        .containsAll(
                                gateway.getSpec().getSelector().getMatchLabels().entrySet()))
                .as("the gateway selector does not catch broker pods")
                .isFalse();
    }

    @Test
    void zooKeeperIsAThreeServerEnsembleNamedByPod() {
        StatefulSet zookeeper = manifests.statefulSet("zookeeper");
        Container server = container(zookeeper);

        assertThat(zookeeper.getSpec().getReplicas()).isEqualTo(3);
        assertThat(zookeeper.getSpec().getServiceName()).isEqualTo(PREFIX + "-zookeeper-headless");
        assertThat(server.getImage()).startsWith("zookeeper:");
        assertThat(envValue(server, "ZOO_SERVERS"))
                .isEqualTo("server.1=" + zkHost(0) + ":2888:3888;2181 server.2=" + zkHost(1)
                        + ":2888:3888;2181 server.3=" + zkHost(2) + ":2888:3888;2181");
        assertThat(envValue(server, "ZOO_STANDALONE_ENABLED")).isEqualTo("false");
        assertThat(String.join(" ", server.getCommand()))
                .as("myid from the pod ordinal, plus one")
                .contains("ZOO_MY_ID=$(( ${HOSTNAME##*-} + 1 ))");
        assertThat(zookeeper.getSpec().getVolumeClaimTemplates())
                .singleElement()
                .satisfies(c -> assertThat(c.getSpec()
                                .getResources()
                                .getRequests()
                                .get("storage")
                                .toString())
                        .isEqualTo("8Gi"));
        assertThat(manifests.service("zookeeper-headless").getSpec().getPublishNotReadyAddresses())
                .isTrue();
        assertThat(server.getReadinessProbe().getExec().getCommand()).containsExactly("zkServer.sh", "status");
    }

    @Test
    void gatewayIsADeploymentReadyOnceItReachesTheBrokers() {
        Deployment gateway = manifests.deployment("gateway");
        Container container = container(gateway);

        assertThat(gateway.getSpec().getReplicas()).isEqualTo(2);
        assertThat(gateway.getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal())
                .isZero();
        assertThat(container.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
        assertHttpProbe(container.getLivenessProbe(), "/actuator/health/liveness");
        assertHttpProbe(container.getReadinessProbe(), "/actuator/health/readiness");
        assertThat(container.getLifecycle().getPreStop().getExec().getCommand())
                .containsExactly("sh", "-c", "sleep 10");
        assertThat(manifests.properties("gateway-config", "gateway.properties"))
                .containsEntry(
                        "brook.gateway.bootstrap-servers",
                        PREFIX + "-broker." + HelmChart.NAMESPACE + ".svc.cluster.local:9092")
                .doesNotContainKey("brook.gateway.security.enabled");
        assertThat(manifests.find(Ingress.class, "gateway")).isEmpty();
        assertThat(manifests.find(HorizontalPodAutoscaler.class, "gateway")).isEmpty();
    }

    @Test
    void heapFollowsTheContainerLimitAndPodsRunAsNonRoot() {
        StatefulSet brokers = manifests.statefulSet("broker");
        assertThat(envValue(container(brokers), "JAVA_TOOL_OPTIONS"))
                .isEqualTo("-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError");
        assertThat(container(brokers).getResources().getLimits().get("memory").toString())
                .isEqualTo("2Gi");
        assertThat(envValue(container(manifests.deployment("gateway")), "JAVA_TOOL_OPTIONS"))
                .startsWith("-XX:MaxRAMPercentage=75");
        assertThat(brokers.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getSecurityContext()
                        .getRunAsNonRoot())
                .isTrue();
        assertThat(brokers.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getSecurityContext()
                        .getFsGroup())
                .isEqualTo(10001L); // the images' user (docker/)
    }

    @Test
    void noSecretsAreReferencedAndNoSecurityIsOnByDefault() {
        assertThat(manifests.yaml()).doesNotContain("secretKeyRef").doesNotContain("secretName");
        assertThat(manifests.properties("broker-config", "broker.properties"))
                .containsEntry("brook.security.authorizer-enabled", "false")
                .doesNotContainKey("brook.security.super-users");
    }

    @Test
    void theDashboardShipsAsAConfigMapForGrafanasSidecar() throws Exception {
        ConfigMap dashboard = manifests.configMap("dashboard");

        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        String json = dashboard.getData().get("brook.json");
        assertThat(json)
                .isEqualTo(Files.readString(HelmChart.chartDir().resolve("dashboards/brook.json"))
                        .strip());
        assertThat(json).contains("brook_consumer_group_lag_sum");
    }

    @Test
    void prometheusOperatorObjectsAreOptIn() {
        assertThat(manifests.ofKind("ServiceMonitor")).isEmpty();
        assertThat(manifests.ofKind("PrometheusRule")).isEmpty();
        assertThat(manifests
                        .statefulSet("broker")
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "8090")
                .containsEntry("prometheus.io/path", "/actuator/prometheus");
    }

    static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe).as("probe on %s", path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    static String zkHost(int ordinal) {
        return PREFIX + "-zookeeper-" + ordinal + "." + PREFIX + "-zookeeper-headless." + HelmChart.NAMESPACE
                + ".svc.cluster.local";
    }

    private static long parseSeconds(String duration) {
        assertThat(duration).endsWith("s");
        return Long.parseLong(duration.substring(0, duration.length() - 1));
    }
}
