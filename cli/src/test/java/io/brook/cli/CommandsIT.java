package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brook.cli.testkit.BrokerProcess;
import io.brook.cli.testkit.Cli;
import io.brook.cli.testkit.Cli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every cluster command run in-process against a real broker (its executable jar as a process),
 * its stdout, stderr and exit status checked: tables for people, {@code --output json} for
 * scripts, one-line errors with status 1 from the cluster and 2 for bad usage.
 */
class CommandsIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    static BrokerProcess broker;
    static Cli cli;

    @BeforeAll
    static void start() {
        broker = BrokerProcess.shared();
        cli = Cli.against(broker, home);
    }

    static Result ok(Result result) {
        assertThat(result.status()).as(result.toString()).isZero();
        return result;
    }

    static JsonNode json(Result result) throws Exception {
        return JSON.readTree(ok(result).out());
    }

    @Test
    void clusterInfoAndBrokersShowTheBrokerAsController() throws Exception {
        Result info = ok(cli.run("cluster", "info"));
        assertThat(info.out())
                .contains("CLUSTER ID", "CONTROLLER", "BROKERS     1")
                .contains("127.0.0.1");
        JsonNode cluster = json(cli.run("cluster", "info", "--output", "json"));
        assertThat(cluster.get("cluster_id").asText()).isNotBlank();
        assertThat(cluster.get("brokers")).hasSize(1);
        assertThat(cluster.get("brokers").get(0).get("port").asInt()).isEqualTo(broker.port());
        assertThat(cluster.get("controller_id").asInt())
                .isEqualTo(cluster.get("brokers").get(0).get("id").asInt());

        Result brokers = ok(cli.run("brokers"));
        assertThat(brokers.lines().get(0)).startsWith("ID").contains("HOST", "PORT", "RACK");
        assertThat(brokers.lines().get(1)).contains("*", "127.0.0.1", String.valueOf(broker.port()));
        JsonNode list = json(cli.run("brokers", "-o", "json"));
        assertThat(list.get(0).get("controller").asBoolean()).isTrue();
    }

    @Test
    void topicsCreateListDescribeAlterAddPartitionsAndDelete() throws Exception {
        Result created = ok(cli.run("topics", "create", "t-life", "-p", "2", "-r", "1", "-c", "retention.ms=3600000"));
        assertThat(created.out()).contains("t-life", "2", "created");

        Result again = cli.run("topics", "create", "t-life");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err().strip()).isEqualTo("brook topics create: Topic 't-life' already exists.");
        assertThat(again.out()).isEmpty();
        assertThat(ok(cli.run("topics", "create", "t-life", "--if-not-exists")).out())
                .contains("exists");

        JsonNode topics = json(cli.run("topics", "list", "--output", "json"));
        List<String> names = new ArrayList<>();
        topics.forEach(t -> names.add(t.get("name").asText()));
        assertThat(names).contains("t-life").doesNotContain("__consumer_offsets");
        topics.forEach(t -> {
            if (t.get("name").asText().equals("t-life")) {
                assertThat(t.get("partitions").asInt()).isEqualTo(2);
                assertThat(t.get("replication_factor").asInt()).isEqualTo(1);
            }
        });
        assertThat(ok(cli.run("topics", "list")).out()).contains("NAME", "PARTITIONS", "t-life");

        ok(cli.run("topics", "alter-config", "t-life", "--set", "cleanup.policy=compact", "--delete", "retention.ms"));
        JsonNode described = json(cli.run("topics", "describe", "t-life", "-o", "json"));
        assertThat(described.get("configs").get("cleanup.policy").asText()).isEqualTo("compact");
        assertThat(described.get("configs").has("retention.ms")).isFalse();
        assertThat(described.get("partitions")).hasSize(2);
        assertThat(described.get("partitions").get(0).get("leader").asInt()).isEqualTo(1); // the broker's id

        Result grown = ok(cli.run("topics", "add-partitions", "t-life", "--num", "3"));
        assertThat(grown.lines().get(1)).contains("t-life", "2", "5");
        Result table = ok(cli.run("topics", "describe", "t-life"));
        assertThat(table.out()).contains("PARTITIONS  5", "cleanup.policy=compact", "HIGH-WATERMARK");

        assertThat(ok(cli.run("topics", "delete", "t-life")).out()).contains("t-life", "deleted");
        Result gone = cli.run("topics", "describe", "t-life");
        assertThat(gone.status()).isEqualTo(1);
        assertThat(gone.err()).startsWith("brook topics describe: ").doesNotContain("\tat ");
        assertThat(gone.err().lines()).hasSize(1);
        assertThat(ok(cli.run("topics", "delete", "t-life", "--if-exists")).out())
                .contains("not found");
    }

    @Test
    void produceLinesWithKeysAndHeadersThenConsumeThemInFormats() throws Exception {
        ok(cli.run("topics", "create", "t-io", "-p", "1"));
        Result produced = ok(cli.runWithInput(
                "k1:v1\nk2:v2\nk3:v3\n", "produce", "t-io", "--key-separator", ":", "-H", "source=test", "-H", "n=1"));
        assertThat(produced.out()).contains("Produced 3 record(s) to t-io");

        Result formatted = ok(cli.run(
                "consume", "t-io", "--from-beginning", "--max-messages", "3", "--format", "%t/%p/%o %k=%v [%h]\\n"));
        assertThat(formatted.lines())
                .containsExactly(
                        "t-io/0/0 k1=v1 [source=test,n=1]",
                        "t-io/0/1 k2=v2 [source=test,n=1]",
                        "t-io/0/2 k3=v3 [source=test,n=1]");

        Result fromOffset = ok(cli.run("consume", "t-io", "--offset", "2", "-n", "1"));
        assertThat(fromOffset.out()).isEqualTo("v3\n");

        Result asJson = ok(cli.run("consume", "t-io", "-b", "-n", "2", "-o", "json"));
        JsonNode first = JSON.readTree(asJson.lines().get(0));
        assertThat(first.get("key").asText()).isEqualTo("k1");
        assertThat(first.get("value").asText()).isEqualTo("v1");
        assertThat(first.get("headers").get("source").asText()).isEqualTo("test");
        assertThat(first.get("offset").asLong()).isZero();
        long timestamp = first.get("timestamp").asLong();

        Result fromTime = ok(
                cli.run("consume", "t-io", "--from-time", String.valueOf(timestamp + 60_000), "--timeout-ms", "1500"));
        assertThat(fromTime.out())
                .as("nothing at or after a time past the last record")
                .isEmpty();
        Result fromIsoTime = ok(cli.run(
                "consume",
                "t-io",
                "--from-time",
                java.time.Instant.ofEpochMilli(timestamp).toString(),
                "-n",
                "3",
                "-f",
                "%o\\n"));
        assertThat(fromIsoTime.lines()).containsExactly("0", "1", "2");

        Result noSeparator = cli.runWithInput("no separator here\n", "produce", "t-io", "-k", ":");
        assertThat(noSeparator.status()).isEqualTo(1);
        assertThat(noSeparator.err()).contains("line 1 has no key separator ':'");
    }

    @Test
    void groupsDescribeShowsLagPerPartitionAndResetOffsetsPreviewsThenExecutes() throws Exception {
        ok(cli.run("topics", "create", "t-grp", "-p", "2"));
        ok(cli.runWithInput("a\nb\nc\nd\ne\nf\n", "produce", "t-grp", "-p", "0"));
        ok(cli.runWithInput("x\ny\n", "produce", "t-grp", "-p", "1"));
        Result consumed = ok(cli.run("consume", "t-grp", "--group", "g-lag", "--from-beginning", "-n", "8"));
        assertThat(consumed.lines()).hasSize(8);
        ok(cli.runWithInput("g\nh\n", "produce", "t-grp", "-p", "0"));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(
                                json(cli.run("groups", "list", "-o", "json")).findValuesAsText("group"))
                        .contains("g-lag"));
        JsonNode group = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> json(cli.run("groups", "describe", "g-lag", "-o", "json")),
                        g -> g.get("state").asText().equals("Empty"));
        assertThat(group.get("total_lag").asLong()).isEqualTo(2);
        JsonNode p0 = group.get("partitions").get(0);
        assertThat(p0.get("topic").asText()).isEqualTo("t-grp");
        assertThat(p0.get("current_offset").asLong()).isEqualTo(6);
        assertThat(p0.get("log_end_offset").asLong()).isEqualTo(8);
        assertThat(p0.get("lag").asLong()).isEqualTo(2);
        assertThat(group.get("partitions").get(1).get("lag").asLong()).isZero();
        Result table = ok(cli.run("groups", "describe", "g-lag"));
        assertThat(table.out()).contains("CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "TOTAL LAG    2");

        Result preview =
                ok(cli.run("groups", "reset-offsets", "--group", "g-lag", "--topic", "t-grp:0", "--shift-by", "-4"));
        assertThat(preview.lines().get(1)).contains("g-lag", "t-grp", "0", "6", "2");
        assertThat(preview.err()).contains("Dry run");
        assertThat(json(cli.run("groups", "describe", "g-lag", "-o", "json"))
                        .get("partitions")
                        .get(0)
                        .get("current_offset")
                        .asLong())
                .as("a dry run changes nothing")
                .isEqualTo(6);

        JsonNode executed = json(cli.run(
                "groups", "reset-offsets", "-g", "g-lag", "--all-topics", "--to-earliest", "--execute", "-o", "json"));
        assertThat(executed.get("executed").asBoolean()).isTrue();
        assertThat(executed.get("partitions").findValuesAsText("new_offset")).containsOnly("0");
        assertThat(json(cli.run("groups", "describe", "g-lag", "-o", "json"))
                        .get("total_lag")
                        .asLong())
                .isEqualTo(10);
        Result again = ok(cli.run("consume", "t-grp", "--group", "g-lag", "-n", "10"));
        assertThat(again.lines()).hasSize(10);

        ok(cli.run("groups", "reset-offsets", "-g", "g-lag", "-t", "t-grp", "--to-offset", "7", "--execute"));
        JsonNode moved = json(cli.run("groups", "describe", "g-lag", "-o", "json"));
        assertThat(moved.get("partitions").get(0).get("current_offset").asLong())
                .isEqualTo(7);
        assertThat(moved.get("partitions").get(1).get("current_offset").asLong())
                .as("clamped to the log end")
                .isEqualTo(2);

        assertThat(ok(cli.run("groups", "delete", "g-lag")).out()).contains("g-lag", "deleted");
        Result gone = cli.run("groups", "describe", "g-lag");
        assertThat(gone.status()).isEqualTo(1);
        assertThat(gone.err().strip()).isEqualTo("brook groups describe: Group g-lag not found.");
    }

    @Test
    void badUsageIsStatusTwoWithOneLineAndHelpIsOnEveryCommand() {
        Result unknown = cli.raw("", "topics", "frobnicate");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err().lines()).hasSize(1);
        assertThat(unknown.err()).startsWith("brook topics: ").contains("--help");

        Result missing = cli.raw("", "topics", "create");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("TOPIC");

        Result exclusive =
                cli.run("groups", "reset-offsets", "-g", "g", "--all-topics", "--to-earliest", "--to-latest");
        assertThat(exclusive.status()).isEqualTo(2);

        Result badFormat = cli.run("consume", "t", "--format", "%q");
        assertThat(badFormat.status()).isEqualTo(2);
        assertThat(badFormat.err()).contains("unknown placeholder %q");

        List<String> paths = new ArrayList<>();
        walk(BrookCli.commandLine(new BrookCli(java.util.Map.of(), System.in)), paths);
        assertThat(paths)
                .contains(
                        "brook cluster info",
                        "brook topics alter-config",
                        "brook groups reset-offsets",
                        "brook acls create",
                        "brook users set-password",
                        "brook reassign",
                        "brook completion");
        for (String path : paths) {
            List<String> args = new ArrayList<>(List.of(path.split(" ")).subList(1, path.split(" ").length));
            args.add("--help");
            Result help = cli.raw("", args.toArray(String[]::new));
            assertThat(help.status()).as(path).isZero();
            assertThat(help.out()).as(path).startsWith("Usage: " + path);
        }
    }

    private static void walk(CommandLine command, List<String> paths) {
        paths.add(command.getCommandSpec().qualifiedName());
        command.getSubcommands().values().stream().distinct().forEach(sub -> walk(sub, paths));
    }

    @Test
    void completionPrintsPicocliBashScriptWithTheCommands() {
        Result completion = ok(cli.raw("", "completion", "bash"));
        assertThat(completion.out())
                .startsWith("#!/usr/bin/env bash")
                .contains("complete -F", "reset-offsets", "--bootstrap-server");
    }

    @Test
    void theBrookConfigFileAndCommandConfigGiveTheBootstrapAddress() throws Exception {
        Path config = home.resolve(".config/brook/config.properties");
        Files.createDirectories(config.getParent());
        Cli noFlags = new Cli(home);
        Files.writeString(config, "bootstrap.servers=" + broker.bootstrap() + "\n");
        assertThat(ok(noFlags.raw("", "brokers")).out()).contains(String.valueOf(broker.port()));

        Path other = home.resolve("client.properties");
        Files.writeString(
                other, "bootstrap.servers=127.0.0.1:1\nrequest.timeout.ms=1000\ndefault.api.timeout.ms=2000\n");
        Result viaCommandConfig = noFlags.raw("", "brokers", "--command-config", other.toString());
        assertThat(viaCommandConfig.status())
                .as("--command-config wins over the config file")
                .isEqualTo(1);
        assertThat(viaCommandConfig.err().lines()).hasSize(1);
        Result verbose = noFlags.raw("", "brokers", "--command-config", other.toString(), "--verbose");
        assertThat(verbose.err().lines().count())
                .as("the exception follows the line")
                .isGreaterThan(1);
        assertThat(verbose.err()).contains("org.apache.kafka.common.errors.TimeoutException");
        assertThat(ok(noFlags.raw(
                                "",
                                "brokers",
                                "--command-config",
                                other.toString(),
                                "--bootstrap-server",
                                broker.bootstrap()))
                        .out())
                .contains(String.valueOf(broker.port()));

        Result missing = noFlags.raw(
                "", "brokers", "--command-config", home.resolve("nope").toString());
        assertThat(missing.status()).isEqualTo(2);
        Files.delete(config);
    }
}
