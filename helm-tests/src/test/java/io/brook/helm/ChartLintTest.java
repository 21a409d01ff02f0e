package io.brook.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** {@code helm lint --strict}: the chart's structure, templates and default values. */
class ChartLintTest {

    @Test
    void chartPassesHelmLintStrict() {
        LintResult result = HelmChart.lint();

        assertThat(result.isFailed()).as("helm lint: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages())
                .as("lint findings above INFO")
                .noneMatch(m -> m.startsWith("[ERROR]") || m.startsWith("[WARNING]"));
    }
}
