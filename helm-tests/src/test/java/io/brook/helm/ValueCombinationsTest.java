package io.brook.helm;

import static io.brook.helm.Manifests.PREFIX;
import static io.brook.helm.Manifests.container;
import static io.brook.helm.Manifests.env;
import static io.brook.helm.Manifests.envValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code helm template} with the value files under {@code src/test/resources/values}, one per
 * deployment shape the chart supports, and what each must change in the manifests.
 */
class ValueCombinationsTest {

    @Test
    void nodePortExternalAccessGivesEachBrokerAServiceAndAnAdvertisedNodePort() {
        Manifests manifests = HelmChart.withValues("external-nodeport").render();

        for (int i = 0; i < 3; i++) {
            int ordinal = i;
            String pod = PREFIX + "-broker-" + ordinal;
            Service external = manifests.service("broker-" + ordinal + "-external");
            assertThat(external.getSpec().getType()).isEqualTo("NodePort");
            assertThat(external.getSpec().getSelector()).containsEntry("statefulset.kubernetes.io/pod-name", pod);
            assertThat(external.getSpec().getPorts()).singleElement().satisfies(port -> {
                assertThat(port.getNodePort()).isEqualTo(31090 + ordinal);
                assertThat(port.getTargetPort().getStrVal()).isEqualTo("external");
            });
            assertThat(manifests.properties("broker-pods", pod + ".properties"))
                    .containsEntry(
                            "brook.broker.advertised-listeners",
                            "INTERNAL://" + podFqdn(ordinal) + ":9092,EXTERNAL://kafka.example.com:"
                                    + (31090 + ordinal));
        }
        assertThat(manifests.properties("broker-config", "broker.properties"))
                .containsEntry("brook.broker.listeners", "INTERNAL://0.0.0.0:9092,EXTERNAL://0.0.0.0:9094")
                .containsEntry("brook.broker.listener-security-protocol-map", "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT")
                .containsEntry("brook.broker.inter-broker-listener-name", "INTERNAL");
        assertThat(container(manifests.statefulSet("broker")).getPorts())
                .anyMatch(p -> p.getName().equals("external") && p.getContainerPort() == 9094);
        assertThat(manifests.find(Service.class, "broker-3-external")).isEmpty();
    }

    @Test
    void loadBalancerExternalAccessAdvertisesADnsNamePerBroker() {
        Manifests manifests = HelmChart.withValues("external-loadbalancer").render();

        assertThat(manifests.statefulSet("broker").getSpec().getReplicas()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            int ordinal = i;
            String dnsName = PREFIX + "-broker-" + ordinal + ".kafka.example.com";
            Service external = manifests.service("broker-" + ordinal + "-external");
            assertThat(external.getSpec().getType()).isEqualTo("LoadBalancer");
            assertThat(external.getSpec().getPorts()).singleElement().satisfies(port -> {
                assertThat(port.getPort()).isEqualTo(9094);
                assertThat(port.getNodePort()).isNull();
            });
            assertThat(external.getMetadata().getAnnotations())
                    .containsEntry("external-dns.alpha.kubernetes.io/hostname", dnsName)
                    .containsEntry("service.beta.kubernetes.io/aws-load-balancer-type", "nlb");
            assertThat(manifests
                            .properties("broker-pods", PREFIX + "-broker-" + ordinal + ".properties")
                            .getProperty("brook.broker.advertised-listeners"))
                    .endsWith(",EXTERNAL://" + dnsName + ":9094");
        }
    }

    @Test
    void externalAddressesGivenOneShortOfTheBrokersAreRefused() {
        assertThatThrownBy(() -> HelmChart.withValues("external-nodeport")
                        .set("broker.external.advertisedAddresses[0]", "a.example.com:9094")
                        .set("broker.external.advertisedAddresses[1]", "b.example.com:9094")
                        .render())
                .hasMessageContaining("advertisedAddresses has 2 entries but broker.replicas is 3");
    }

    @Test
    void anExistingZooKeeperReplacesTheChartsEnsemble() {
        Manifests manifests = HelmChart.withValues("zookeeper-external").render();

        assertThat(manifests.find(io.fabric8.kubernetes.api.model.apps.StatefulSet.class, "zookeeper"))
                .isEmpty();
        assertThat(manifests.find(Service.class, "zookeeper")).isEmpty();
        assertThat(manifests.find(Service.class, "zookeeper-headless")).isEmpty();
        assertThat(manifests.find(PodDisruptionBudget.class, "zookeeper")).isEmpty();
        assertThat(manifests.all()).noneMatch(o -> o.getMetadata().getName().contains("zookeeper"));
        assertThat(manifests.properties("broker-config", "broker.properties"))
                .containsEntry("brook.zookeeper.connect", "zk-a.infra:2181,zk-b.infra:2181,zk-c.infra:2181/brook");
    }

    @Test
    void tlsAndSaslComeFromSecretsAndNeverAsText() {
        Manifests manifests = HelmChart.withValues("tls-sasl").render();
        io.fabric8.kubernetes.api.model.apps.StatefulSet brokers = manifests.statefulSet("broker");
        Container broker = container(brokers);

        Properties config = manifests.properties("broker-config", "broker.properties");
        assertThat(config)
                .containsEntry("brook.broker.listener-security-protocol-map", "INTERNAL:SASL_SSL,EXTERNAL:SASL_SSL")
                .containsEntry("brook.broker.ssl.keystore-location", "/etc/brook/tls/keystore.p12")
                .containsEntry("brook.broker.ssl.truststore-location", "/etc/brook/tls/truststore.p12")
                .containsEntry("brook.broker.ssl.client-auth", "requested")
                .containsEntry("brook.broker.sasl-enabled-mechanisms", "SCRAM-SHA-512")
                .containsEntry("brook.broker.inter-broker.sasl-mechanism", "SCRAM-SHA-512")
                .containsEntry("brook.security.authorizer-enabled", "true")
                .containsEntry("brook.security.super-users", "User:ops,User:${BROOK_SECURITY_BOOTSTRAPADMIN_USERNAME}");
        assertThat(config.stringPropertyNames()).noneMatch(k -> k.contains("password"));

        assertSecretEnv(broker, "BROOK_BROKER_SSL_KEYSTOREPASSWORD", "brook-tls", "keystore-password");
        assertSecretEnv(broker, "BROOK_BROKER_SSL_TRUSTSTOREPASSWORD", "brook-tls", "truststore-password");
        assertSecretEnv(broker, "BROOK_SECURITY_BOOTSTRAPADMIN_USERNAME", "brook-admin", "username");
        assertSecretEnv(broker, "BROOK_SECURITY_BOOTSTRAPADMIN_PASSWORD", "brook-admin", "password");
        assertSecretEnv(broker, "BROOK_BROKER_INTERBROKER_USERNAME", "brook-admin", "username");
        assertSecretEnv(broker, "BROOK_BROKER_INTERBROKER_PASSWORD", "brook-admin", "password");
        assertThat(env(broker)).doesNotContainKey("BROOK_BROKER_SSL_KEYPASSWORD");
        Volume tls = volume(brokers.getSpec().getTemplate().getSpec(), "tls");
        assertThat(tls.getSecret().getSecretName()).isEqualTo("brook-tls");
        assertThat(tls.getSecret().getItems())
                .extracting(i -> i.getKey())
                .containsExactly("keystore.p12", "truststore.p12");
        assertThat(broker.getVolumeMounts())
                .anyMatch(
                        m -> m.getName().equals("tls") && m.getMountPath().equals("/etc/brook/tls") && m.getReadOnly());

        Deployment gateway = manifests.deployment("gateway");
        Container gatewayContainer = container(gateway);
        assertSecretEnv(gatewayContainer, "BROOK_GATEWAY_SECURITY_TOKENSECRET", "brook-gateway-token", "token-secret");
        assertSecretEnv(gatewayContainer, "GATEWAY_KAFKA_USERNAME", "brook-admin", "username");
        assertSecretEnv(gatewayContainer, "GATEWAY_KAFKA_PASSWORD", "brook-admin", "password");
        assertSecretEnv(gatewayContainer, "GATEWAY_TRUSTSTORE_PASSWORD", "brook-tls", "truststore-password");
        Volume gatewayTls = volume(gateway.getSpec().getTemplate().getSpec(), "tls");
        assertThat(gatewayTls.getSecret().getItems())
                .as("the gateway gets the truststore, not the brokers' private key")
                .extracting(i -> i.getKey())
                .containsExactly("truststore.p12");
        assertThat(manifests.properties("gateway-config", "gateway.properties"))
                .containsEntry("brook.gateway.security.enabled", "true")
                .containsEntry(
                        "brook.gateway.zookeeper-connect",
                        manifests
                                .properties("broker-config", "broker.properties")
                                .getProperty("brook.zookeeper.connect"))
                .containsEntry("brook.gateway.kafka[security.protocol]", "SASL_SSL")
                .containsEntry("brook.gateway.kafka[sasl.mechanism]", "SCRAM-SHA-512")
                .containsEntry(
                        "brook.gateway.kafka[sasl.jaas.config]",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"${GATEWAY_KAFKA_USERNAME}\" password=\"${GATEWAY_KAFKA_PASSWORD}\";")
                .containsEntry("brook.gateway.kafka[ssl.truststore.password]", "${GATEWAY_TRUSTSTORE_PASSWORD}");
    }

    @Test
    void aSeparateInterBrokerUserIsASuperUserToo() {
        Manifests manifests = HelmChart.withValues("tls-sasl")
                .set("sasl.interBroker.existingSecret", "brook-interbroker")
                .render();

        Container broker = container(manifests.statefulSet("broker"));
        assertSecretEnv(broker, "BROOK_BROKER_INTERBROKER_USERNAME", "brook-interbroker", "username");
        assertSecretEnv(broker, "BROOK_BROKER_INTERBROKER_PASSWORD", "brook-interbroker", "password");
        assertThat(manifests.properties("broker-config", "broker.properties").getProperty("brook.security.super-users"))
                .contains("User:${BROOK_BROKER_INTERBROKER_USERNAME}");
    }

    @Test
    void saslWithoutAnyCredentialsSecretIsRefused() {
        assertThatThrownBy(
                        () -> HelmChart.withDefaults().set("sasl.enabled", true).render())
                .hasMessageContaining("sasl.enabled needs the brokers' own credentials");
        assertThatThrownBy(() -> HelmChart.withDefaults()
                        .set("gateway.security.enabled", true)
                        .render())
                .hasMessageContaining("gateway.security.tokenSecret.existingSecret");
    }

    @Test
    void gatewayIngressAndAutoscalerWhenAsked() {
        Manifests manifests = HelmChart.withValues("gateway-ingress-hpa").render();

        Ingress ingress = manifests.get(Ingress.class, "gateway");
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> {
            assertThat(tls.getHosts()).containsExactly("brook.example.com");
            assertThat(tls.getSecretName()).isEqualTo("brook-example-tls");
        });
        assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getHost()).isEqualTo("brook.example.com");
            var backend = rule.getHttp().getPaths().get(0).getBackend().getService();
            assertThat(backend.getName()).isEqualTo(PREFIX + "-gateway");
            assertThat(backend.getPort().getName()).isEqualTo("http");
        });
        assertThat(manifests.service("gateway").getSpec().getPorts())
                .anyMatch(p -> p.getName().equals("http"));

        HorizontalPodAutoscaler hpa = manifests.get(HorizontalPodAutoscaler.class, "gateway");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(PREFIX + "-gateway");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
        assertThat(hpa.getSpec().getMetrics())
                .extracting(m -> m.getResource().getName() + "="
                        + m.getResource().getTarget().getAverageUtilization())
                .containsExactly("cpu=60", "memory=80");
        assertThat(manifests.deployment("gateway").getSpec().getReplicas())
                .as("the autoscaler owns the replica count")
                .isNull();
    }

    @Test
    void serviceMonitorScrapesEveryBrokerAndGatewayOnce() {
        Manifests manifests = HelmChart.withValues("metrics-operator").render();

        GenericKubernetesResource monitor = manifests.ofKind("ServiceMonitor").get(0);
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
        List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
        assertThat(endpoints).singleElement().satisfies(endpoint -> {
            assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/actuator/prometheus");
            assertThat(endpoint).containsEntry("interval", "15s");
        });
        List<String> scraped = manifests.ofType(Service.class).stream()
                .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .map(s -> s.getMetadata().getName())
                .toList();
        assertThat(scraped)
                .as("the headless broker Service (one target per pod) and the gateway, not the bootstrap Service")
                .containsExactlyInAnyOrder(PREFIX + "-broker-headless", PREFIX + "-gateway");
        for (String name : scraped) {
            Service service = manifests.ofType(Service.class).stream()
                    .filter(s -> s.getMetadata().getName().equals(name))
                    .findFirst()
                    .orElseThrow();
            assertThat(service.getSpec().getPorts()).anyMatch(p -> p.getName().equals("http"));
        }
    }

    @Test
    void prometheusRuleAlertsOnKafkasHealthSignals() {
        Manifests manifests = HelmChart.withValues("metrics-operator").render();

        GenericKubernetesResource rule = manifests.ofKind("PrometheusRule").get(0);
        List<Map<String, Object>> groups = rule.get("spec", "groups");
        List<Map<String, Object>> rules =
                (List<Map<String, Object>>) groups.get(0).get("rules");
        Map<String, String> exprByAlert = new java.util.LinkedHashMap<>();
        rules.forEach(r -> exprByAlert.put((String) r.get("alert"), (String) r.get("expr")));

        String brokers = "{namespace=\"" + HelmChart.NAMESPACE + "\", service=\"" + PREFIX + "-broker-headless\"}";
        assertThat(exprByAlert)
                .containsEntry(
                        "BrookUnderReplicatedPartitions",
                        "max by (pod) (brook_replica_manager_under_replicated_partitions" + brokers + ") > 0")
                .containsEntry(
                        "BrookOfflinePartitions", "sum(brook_controller_offline_partitions_count" + brokers + ") > 0")
                .containsEntry(
                        "BrookActiveControllerCount",
                        "sum(brook_controller_active_controller_count" + brokers + ") != 1");
        assertThat(exprByAlert.get("BrookConsumerLagGrowing"))
                .contains("deriv(brook_consumer_group_lag_sum" + brokers + "[10m])) > 0")
                .contains("max by (group) (brook_consumer_group_lag_sum" + brokers + ") > 1000");
        assertThat(PromtoolRules.check(groups)).as("promtool check rules").isEqualTo("");
    }

    @Test
    void hardAntiAffinityRequiresDistinctNodesAndSizingComesFromValues() {
        Manifests manifests = HelmChart.withValues("hard-anti-affinity").render();
        io.fabric8.kubernetes.api.model.apps.StatefulSet brokers = manifests.statefulSet("broker");
        PodSpec pod = brokers.getSpec().getTemplate().getSpec();

        assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                .isEmpty();
        PodAffinityTerm required = pod.getAffinity()
                .getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .get(0);
        assertThat(required.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
        assertThat(required.getLabelSelector().getMatchLabels())
                .isEqualTo(brokers.getSpec().getSelector().getMatchLabels());
        assertThat(pod.getTopologySpreadConstraints().get(0).getWhenUnsatisfiable())
                .isEqualTo("DoNotSchedule");
        assertThat(manifests
                        .statefulSet("zookeeper")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getAffinity()
                        .getPodAntiAffinity()
                        .getRequiredDuringSchedulingIgnoredDuringExecution())
                .hasSize(1);
        assertThat(manifests
                        .deployment("gateway")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getAffinity())
                .as("antiAffinity: none")
                .isNull();

        assertThat(envValue(container(brokers), "JAVA_TOOL_OPTIONS")).isEqualTo("-Xmx3g -XX:+ExitOnOutOfMemoryError");
        assertThat(container(brokers).getResources().getRequests().get("cpu").toString())
                .isEqualTo("2");
        var claim = brokers.getSpec().getVolumeClaimTemplates().get(0).getSpec();
        assertThat(claim.getStorageClassName()).isEqualTo("fast-ssd");
        assertThat(claim.getResources().getRequests().get("storage").toString()).isEqualTo("500Gi");
    }

    @Test
    void aSingleZooKeeperServerRunsStandaloneWithoutABudget() {
        Manifests manifests = HelmChart.withDefaults()
                .set("zookeeper.replicas", 1)
                .set("broker.replicas", 1)
                .set("broker.config.defaultReplicationFactor", 1)
                .set("broker.config.minInsyncReplicas", 1)
                .set("broker.config.offsetsTopicReplicationFactor", 1)
                .render();

        Container zookeeper = container(manifests.statefulSet("zookeeper"));
        assertThat(env(zookeeper)).doesNotContainKey("ZOO_SERVERS");
        assertThat(envValue(zookeeper, "ZOO_STANDALONE_ENABLED")).isEqualTo("true");
        assertThat(manifests.find(PodDisruptionBudget.class, "zookeeper")).isEmpty();
        assertThat(manifests.find(PodDisruptionBudget.class, "broker"))
                .as("a budget of one on a single broker would block every node drain")
                .isEmpty();
        assertThat(manifests.configMap("broker-pods").getData()).containsOnlyKeys(PREFIX + "-broker-0.properties");
        assertThat(manifests.properties("broker-config", "broker.properties"))
                .containsEntry("brook.zookeeper.connect", DefaultValuesTest.zkHost(0) + ":2181");
    }

    @Test
    void scalingAddsBrokersWithoutRollingTheOthersWhileASettingChangeRollsThem() {
        String three = configChecksum(HelmChart.withDefaults().render());
        Manifests four = HelmChart.withDefaults().set("broker.replicas", 4).render();

        assertThat(four.configMap("broker-pods").getData()).containsKey(PREFIX + "-broker-3.properties");
        assertThat(configChecksum(four)).as("pod template unchanged by scaling").isEqualTo(three);
        assertThat(configChecksum(HelmChart.withDefaults()
                        .set("broker.config.numPartitions", 6)
                        .render()))
                .as("a shared setting changes the pod template, so the StatefulSet rolls")
                .isNotEqualTo(three);
    }

    private static String configChecksum(Manifests manifests) {
        return manifests
                .statefulSet("broker")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get("checksum/config");
    }

    private static void assertSecretEnv(Container container, String name, String secret, String key) {
        EnvVar var = env(container).get(name);
        assertThat(var).as("env %s of %s", name, container.getName()).isNotNull();
        assertThat(var.getValue()).as("%s is not given as text", name).isNull();
        assertThat(var.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secret);
        assertThat(var.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(key);
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static String podFqdn(int ordinal) {
        return PREFIX + "-broker-" + ordinal + "." + PREFIX + "-broker-headless." + HelmChart.NAMESPACE
                + ".svc.cluster.local";
    }
}
