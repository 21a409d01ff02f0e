package io.brook.gateway.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.gateway.testkit.GatewayIntegrationTest;
import io.brook.gateway.testkit.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's curl examples, run as they are written (only the port moved to the test gateway's)
 * with bash and curl against the running gateway and a real broker; then its WebSocket sessions
 * ({@link ReadmeWebSocketSessions}), which follow them in the README and use the topic they
 * create, in that order.
 */
@GatewayIntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadmeCurlIT {

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    /** The {@code sh} block of the README's "HTTP gateway" section. */
    static String readmeExamples() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int section = readme.indexOf("## HTTP gateway");
        assertThat(section).as("README has an HTTP gateway section").isNotNegative();
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        int end = readme.indexOf("```", start);
        return readme.substring(start, end);
    }

    @Test
    @Order(1)
    void theReadmesCurlExamplesWorkAgainstARunningGateway() throws Exception {
        String script = "set -euo pipefail\n" + readmeExamples().replace("localhost:8080", "localhost:" + port);
        Process bash = new ProcessBuilder("bash", "-c", script)
                .redirectErrorStream(true)
                .start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(out).isZero();

        List<String> lines = out.lines().toList();
        // The topic created, then one report for the single record and three for the stream.
        assertThat(out).contains("\"kind\":\"KafkaTopic\"", "\"topic_name\":\"orders\"", "\"partitions_count\":3");
        assertThat(lines.stream().filter(l -> l.contains("\"error_code\":200")).count())
                .isEqualTo(4);
        assertThat(out).contains("\"offset\":0", "\"offset\":3");
        assertThat(out).contains("\"successes\":[{\"id\":\"a\"", "{\"id\":\"b\"");
        assertThat(out).contains("\"offsets\":[{\"partition\":");
        // The read of partition 0: the four records produced there, in order.
        assertThat(out)
                .contains("\"next_offset\":4")
                .contains("\"data\":{\"order\":1}")
                .contains("\"data\":{\"order\":4}");
        assertThat(out).contains("\"kind\":\"KafkaPartitionList\"", "\"kind\":\"KafkaConsumerGroupList\"");
        // The v2 consumer instance read partition 0 from the beginning, in the json format.
        assertThat(out)
                .contains("\"instance_id\":\"c1\"")
                .contains(
                        "{\"topic\":\"orders\",\"key\":\"user-1\",\"value\":{\"order\":1},\"partition\":0,\"offset\":0}");
        assertThat(out).doesNotContain("error_code\":4", "error_code\":5");
    }

    @Test
    @Order(2)
    void theReadmesWebSocketSessionsWorkAgainstARunningGatewayTypedAsShown() throws Exception {
        new ReadmeWebSocketSessions(TestTopics.clusterId(), port, json).runAll();
    }
}
