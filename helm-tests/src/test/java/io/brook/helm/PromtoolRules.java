package io.brook.helm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own check of alerting rules: the {@code groups} of a PrometheusRule written as a
 * rules file and given to {@code promtool check rules} (Debian's {@code prometheus} package,
 * which {@code .ci/run} installs). Where promtool is absent the calling test is skipped, saying so.
 */
final class PromtoolRules {

    private PromtoolRules() {}

    /** promtool's complaints, or "" when it accepts the rules. */
    static String check(List<Map<String, Object>> groups) {
        Path promtool = Path.of("/usr/bin/promtool");
        assumeTrue(
                Files.isExecutable(promtool),
                "promtool not installed (Debian package prometheus): the rules' PromQL is not checked here");
        try {
            Path file = Files.createTempFile("brook-rules", ".yaml");
            try {
                Files.writeString(file, new KubernetesSerialization().asYaml(Map.of("groups", groups)));
                Process process = new ProcessBuilder(promtool.toString(), "check", "rules", file.toString())
                        .redirectErrorStream(true)
                        .start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return "promtool did not finish in 60 s";
                }
                return process.exitValue() == 0 ? "" : output;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
