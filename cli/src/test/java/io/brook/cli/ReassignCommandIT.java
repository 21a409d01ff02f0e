package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brook.cli.testkit.BrokerProcess;
import io.brook.cli.testkit.Cli;
import io.brook.cli.testkit.Cli.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code brook reassign} after adding a broker: a topic made on one broker is spread over two, the
 * dry run changing nothing and the real run moving half the partitions.
 */
class ReassignCommandIT {

    @TempDir
    Path home;

    @Test
    void reassignSpreadsATopicOverAnAddedBroker() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (BrokerProcess first = BrokerProcess.builder().id(1).start()) {
            Cli cli = Cli.against(first, home);
            assertThat(cli.run("topics", "create", "t-spread", "-p", "4", "-r", "1")
                            .status())
                    .isZero();
            try (BrokerProcess second = BrokerProcess.builder()
                    .id(2)
                    .zookeeper(first.zookeeperConnect())
                    .start()) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() ->
                                json.readTree(cli.run("brokers", "-o", "json").out())
                                                .size()
                                        == 2);

                Result dryRun = cli.run("reassign", "--topics", "t-spread", "--dry-run");
                assertThat(dryRun.status()).as(dryRun.toString()).isZero();
                assertThat(dryRun.out()).contains("TOPIC", "PROPOSED", "2 replica(s) move, over 2 broker(s).");
                assertThat(leaders(cli, json)).containsOnly(1);

                Result applied = cli.run("reassign", "--topics", "t-spread", "-o", "json");
                assertThat(applied.status()).as(applied.toString()).isZero();
                JsonNode result = json.readTree(applied.out());
                assertThat(result.get("applied").asBoolean()).isTrue();
                assertThat(result.get("replicas_moved").asInt()).isEqualTo(2);

                await().atMost(Duration.ofSeconds(60))
                        .until(() -> leaders(cli, json).equals(Set.of(1, 2)));
                // the replicas above include those still being added; the moves end once they are in sync
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Result settled = cli.run("reassign", "--topics", "t-spread", "--dry-run");
                    assertThat(settled.err()).doesNotContain("already being reassigned");
                });
                Result again = cli.run("reassign", "--topics", "t-spread");
                assertThat(again.out()).contains("nothing to move");
            }
        }
    }

    static Set<Integer> leaders(Cli cli, ObjectMapper json) throws Exception {
        Set<Integer> replicas = new HashSet<>();
        json.readTree(cli.run("topics", "describe", "t-spread", "-o", "json").out())
                .get("partitions")
                .forEach(p -> p.get("replicas").forEach(r -> replicas.add(r.asInt())));
        return replicas;
    }
}
