package io.brook.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The chart in {@code helm/brook}, rendered by real Helm: helm-java runs Helm's own Go code (lint,
 * template, the values.schema.json check) in this JVM through JNA, so what passes here passes
 * {@code helm template} and {@code helm install} of the same Helm version.
 *
 * <p>Every render is {@code helm template} of release {@value #RELEASE} in namespace {@value
 * #NAMESPACE} for Kubernetes {@value #KUBE_VERSION}: helm-java's default Kubernetes version is
 * older than the chart's {@code kubeVersion} floor, so the version is given as the CLI would take
 * it from a cluster. Values come from a file under {@code src/test/resources/values} and then
 * {@code --set} pairs, in that order, as on the command line.
 *
 * <p>Not thread-safe: one instance per render; Helm itself is re-entrant, so tests may render
 * in parallel with instances of their own.
 */
final class HelmChart {

    static final String RELEASE = "rel";
    static final String NAMESPACE = "streams";
    static final String KUBE_VERSION = "1.30.0";

    private Path valuesFile;
    private final Map<String, Object> sets = new LinkedHashMap<>();

    /** The chart folder: {@code brook.chart.dir} (set by the pom), else {@code ../helm/brook}. */
    static Path chartDir() {
        Path dir = Paths.get(System.getProperty("brook.chart.dir", "../helm/brook"));
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw new IllegalStateException("no Chart.yaml in " + dir.toAbsolutePath());
        }
        return dir;
    }

    static HelmChart withDefaults() {
        return new HelmChart();
    }

    /** Values from {@code src/test/resources/values/<name>.yaml}, like {@code -f}. */
    static HelmChart withValues(String name) {
        HelmChart chart = new HelmChart();
        Path file = Paths.get("src/test/resources/values", name + ".yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no values file " + file.toAbsolutePath());
        }
        chart.valuesFile = file;
        return chart;
    }

    /** One value, like {@code --set key=value} (Helm parses the text: "3" is a number). */
    HelmChart set(String key, Object value) {
        sets.put(key, value);
        return this;
    }

    /** {@code helm template}: the manifests, or an {@link IllegalStateException} with Helm's error. */
    Manifests render() {
        TemplateCommand template = new Helm(chartDir())
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return Manifests.parse(template.call());
    }

    /** {@code helm lint --strict} with the chart's own values. */
    static LintResult lint() {
        return new Helm(chartDir()).lint().strict().call();
    }
}
