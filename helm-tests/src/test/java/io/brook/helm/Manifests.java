package io.brook.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * What {@code helm template} rendered, read into fabric8's Kubernetes model: built-in kinds as
 * their classes ({@link StatefulSet}, {@link Service}, ...), custom resources (ServiceMonitor,
 * PrometheusRule) as {@link GenericKubernetesResource}. Reading fails on a document that is not
 * valid YAML or has a field of the wrong type for its kind, which is itself a check.
 *
 * <p>Immutable after {@link #parse}; names below are without the release prefix, e.g. {@code
 * statefulSet("broker")} is {@code rel-brook-broker}.
 */
final class Manifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final String PREFIX = HelmChart.RELEASE + "-brook";

    private final String yaml;
    private final List<HasMetadata> objects;

    private Manifests(String yaml, List<HasMetadata> objects) {
        this.yaml = yaml;
        this.objects = objects;
    }

    static Manifests parse(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(yaml);
        List<HasMetadata> objects;
        if (parsed instanceof List<?> list) {
            objects = list.stream().map(HasMetadata.class::cast).toList();
        } else {
            objects = List.of((HasMetadata) parsed);
        }
        return new Manifests(yaml, objects);
    }

    /** The rendered text, as helm template printed it. */
    String yaml() {
        return yaml;
    }

    List<HasMetadata> all() {
        return objects;
    }

    <T extends HasMetadata> List<T> ofType(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<GenericKubernetesResource> ofKind(String kind) {
        return ofType(GenericKubernetesResource.class).stream()
                .filter(r -> kind.equals(r.getKind()))
                .toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String suffix) {
        String name = PREFIX + (suffix.isEmpty() ? "" : "-" + suffix);
        return ofType(type).stream()
                .filter(o -> name.equals(o.getMetadata().getName()))
                .findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String suffix) {
        return find(type, suffix)
                .orElseThrow(() -> new AssertionError(
                        "no " + type.getSimpleName() + " " + PREFIX + "-" + suffix + " among " + names()));
    }

    StatefulSet statefulSet(String suffix) {
        return get(StatefulSet.class, suffix);
    }

    Deployment deployment(String suffix) {
        return get(Deployment.class, suffix);
    }

    Service service(String suffix) {
        return get(Service.class, suffix);
    }

    ConfigMap configMap(String suffix) {
        return get(ConfigMap.class, suffix);
    }

    PodDisruptionBudget pdb(String suffix) {
        return get(PodDisruptionBudget.class, suffix);
    }

    /** A properties file held in a ConfigMap, read as Spring reads it. */
    Properties properties(String configMapSuffix, String key) {
        String text = configMap(configMapSuffix).getData().get(key);
        assertThat(text).as("%s in ConfigMap %s", key, configMapSuffix).isNotNull();
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    List<String> names() {
        return objects.stream()
                .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .toList();
    }

    static Container container(StatefulSet set) {
        return set.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static Map<String, EnvVar> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    /** The value of a plain (not Secret-backed) environment variable. */
    static String envValue(Container container, String name) {
        EnvVar var = env(container).get(name);
        assertThat(var).as("env %s of %s", name, container.getName()).isNotNull();
        return var.getValue();
    }
}
