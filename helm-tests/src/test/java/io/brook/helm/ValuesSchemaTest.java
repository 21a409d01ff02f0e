package io.brook.helm;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values Helm must refuse before rendering anything: values.schema.json (types, enums, minimums,
 * required-when) and the chart's cross-checks (replication against brokers, the shutdown budget).
 * Each case is one {@code --set} on the default values; the message must name the culprit.
 */
class ValuesSchemaTest {

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("broker.replicas", -1, "/broker/replicas"),
                Arguments.of("broker.replicas", 0, "/broker/replicas"),
                Arguments.of("broker.replicas", "three", "/broker/replicas"),
                Arguments.of("zookeeper.replicas", 2, "/zookeeper/replicas"),
                Arguments.of("broker.antiAffinity", "sometimes", "/broker/antiAffinity"),
                Arguments.of("broker.podManagementPolicy", "Random", "/broker/podManagementPolicy"),
                Arguments.of("broker.external.type", "ClusterIP", "/broker/external/type"),
                Arguments.of("broker.external.nodePortBase", 8080, "/broker/external/nodePortBase"),
                Arguments.of("broker.persistence.size", "lots", "/broker/persistence/size"),
                Arguments.of("broker.ports.internal", 70000, "/broker/ports/internal"),
                Arguments.of("broker.jvm.xmx", "3 GB", "/broker/jvm/xmx"),
                Arguments.of("broker.config.minInsyncReplicas", 0, "/broker/config/minInsyncReplicas"),
                Arguments.of(
                        "gateway.autoscaling.targetCPUUtilizationPercentage", 150, "targetCPUUtilizationPercentage"),
                Arguments.of("tls.clientAuth", "optional", "/tls/clientAuth"),
                Arguments.of("tls.enabled", true, "/tls/existingSecret"),
                Arguments.of("sasl.mechanisms[0]", "GSSAPI", "/sasl/mechanisms/0"),
                Arguments.of("auth.superUsers[0]", "admin", "/auth/superUsers/0"),
                Arguments.of("zookeeper.enabled", false, "/zookeeper/connect"),
                Arguments.of("metrics.serviceMonitor.interval", "often", "/metrics/serviceMonitor/interval"),
                Arguments.of("brokers.replicas", 3, "additional properties 'brokers' not allowed"),
                Arguments.of(
                        "broker.config.minInsyncReplicas",
                        4,
                        "minInsyncReplicas (4) cannot exceed broker.config.defaultReplicationFactor (3)"),
                Arguments.of(
                        "broker.config.defaultReplicationFactor",
                        5,
                        "defaultReplicationFactor (5) cannot exceed broker.replicas (3)"),
                Arguments.of(
                        "broker.terminationGracePeriodSeconds",
                        30,
                        "terminationGracePeriodSeconds (30) must be at least"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void helmTemplateRefuses(String key, Object value, String message) {
        assertThatThrownBy(() -> HelmChart.withDefaults().set(key, value).render())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theSameKeysWithGoodValuesRender() {
        assertThatCode(() -> HelmChart.withDefaults()
                        .set("broker.replicas", 5)
                        .set("zookeeper.replicas", 5)
                        .set("broker.antiAffinity", "none")
                        .set("broker.podManagementPolicy", "OrderedReady")
                        .set("broker.persistence.size", "1.5Ti")
                        .set("broker.jvm.xmx", "3g")
                        .set("tls.clientAuth", "required")
                        .set("auth.superUsers[0]", "User:ops")
                        .set("broker.terminationGracePeriodSeconds", 55)
                        .render())
                .doesNotThrowAnyException();
    }
}
