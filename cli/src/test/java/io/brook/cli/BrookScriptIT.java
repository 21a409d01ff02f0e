package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brook.cli.testkit.BrokerProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./brook} script as a user runs it, as a process: it dispatches the command line's
 * commands to the jar the reactor built, pipes standard input to {@code produce}, and passes the
 * exit status through.
 */
class BrookScriptIT {

    @TempDir
    Path home;

    record Run(int status, String out, String err) {}

    Run brook(String stdin, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "brook"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File(".."));
        builder.environment().put("HOME", home.toString());
        builder.environment().remove("BROOK_CONFIG");
        builder.environment().put("BROOK_CLI_SKIP_BUILD", "1");
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(
                process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theScriptRunsTopicsProduceAndConsumeWithStdinAndExitStatus() throws Exception {
        String bootstrap = BrokerProcess.shared().bootstrap();

        Run created = brook("", "topics", "create", "t-script", "--partitions", "1", "--bootstrap-server", bootstrap);
        assertThat(created.status()).as(created.toString()).isZero();
        Run listed = brook("", "topics", "list", "--output", "json", "--bootstrap-server", bootstrap);
        assertThat(listed.status()).as(listed.toString()).isZero();
        JsonNode topics = new ObjectMapper().readTree(listed.out());
        assertThat(topics.findValuesAsText("name")).contains("t-script");

        Run produced = brook("one\ntwo\nthree\n", "produce", "t-script", "--bootstrap-server", bootstrap);
        assertThat(produced.status()).as(produced.toString()).isZero();
        Run consumed = brook(
                "", "consume", "t-script", "--from-beginning", "--max-messages", "3", "--bootstrap-server", bootstrap);
        assertThat(consumed.status()).as(consumed.toString()).isZero();
        assertThat(consumed.out()).isEqualTo("one\ntwo\nthree\n");

        Run refused = brook("", "topics", "describe", "t-nope", "--bootstrap-server", bootstrap);
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err().strip()).startsWith("brook topics describe: ").doesNotContain("\n");
        Run usage = brook("", "topics", "--no-such-flag");
        assertThat(usage.status()).isEqualTo(2);
        assertThat(brook("", "--help").out()).contains("topics", "groups", "dev");
    }
}
