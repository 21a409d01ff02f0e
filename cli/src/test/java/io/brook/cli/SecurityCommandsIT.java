package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.cli.testkit.BrokerProcess;
import io.brook.cli.testkit.Cli;
import io.brook.cli.testkit.Cli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code brook users} and {@code brook acls} against a broker with one SASL_PLAINTEXT listener,
 * the authorizer on and a bootstrap admin (a super user): the admin's and a user's client
 * properties given with {@code --command-config}, as to the Kafka tools. The user made with {@code
 * users create} (password on stdin) logs in, is refused what no ACL allows, and is let in by the
 * ACLs {@code acls create} adds; no password appears in any output.
 */
class SecurityCommandsIT {

    static final String ADMIN_PASSWORD = "admin-Secret-1";
    static final String ALICE_PASSWORD = "alice-Secret-2";

    @TempDir
    static Path home;

    static BrokerProcess broker;
    static Cli cli;
    static Path admin;
    static Path alice;

    @BeforeAll
    static void start() throws Exception {
        int port = BrokerProcess.freePort();
        broker = BrokerProcess.builder()
                .port(port)
                .property("brook.broker.listeners", "SASL_PLAINTEXT://127.0.0.1:" + port)
                .property("brook.broker.sasl-enabled-mechanisms", "SCRAM-SHA-256,SCRAM-SHA-512")
                .property("brook.broker.inter-broker.sasl-mechanism", "SCRAM-SHA-512")
                .property("brook.broker.inter-broker.username", "admin")
                .property("brook.broker.inter-broker.password", ADMIN_PASSWORD)
                .property("brook.security.authorizer-enabled", "true")
                .property("brook.security.super-users", "User:admin")
                .property("brook.security.bootstrap-admin.username", "admin")
                .property("brook.security.bootstrap-admin.password", ADMIN_PASSWORD)
                .start();
        cli = Cli.against(broker, home);
        admin = clientConfig("admin.properties", "SCRAM-SHA-512", "admin", ADMIN_PASSWORD);
        alice = clientConfig("alice.properties", "SCRAM-SHA-256", "alice", ALICE_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    static Path clientConfig(String name, String mechanism, String user, String password) throws Exception {
        Path file = home.resolve(name);
        Files.writeString(
                file,
                "security.protocol=SASL_PLAINTEXT\n"
                        + "sasl.mechanism=" + mechanism + "\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";\n");
        return file;
    }

    static Result as(Path config, String stdin, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--command-config";
        all[args.length + 1] = config.toString();
        Result result = cli.runWithInput(stdin, all);
        assertThat(result.out() + result.err()).doesNotContain(ADMIN_PASSWORD, ALICE_PASSWORD);
        return result;
    }

    static Result ok(Result result) {
        assertThat(result.status()).as(result.toString()).isZero();
        return result;
    }

    @Test
    void usersAndAclsGovernWhatANewUserMayDo() throws Exception {
        assertThat(ok(as(admin, "", "users", "list")).out()).contains("admin", "SCRAM-SHA-512", "4096");

        Result created = ok(as(admin, ALICE_PASSWORD + "\n", "users", "create", "alice"));
        assertThat(created.out()).contains("Created user alice (SCRAM-SHA-256, SCRAM-SHA-512)");
        Result twice = as(admin, "whatever\n", "users", "create", "alice");
        assertThat(twice.status()).isEqualTo(1);
        assertThat(twice.err().strip())
                .isEqualTo("brook users create: user 'alice' exists already; use 'brook users set-password'");
        assertThat(ok(as(admin, "", "users", "list", "-o", "json")).out()).contains("\"user\" : \"alice\"");

        ok(as(admin, "", "topics", "create", "guarded"));
        // (alice's login works once the broker's watch brought her credentials)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Result denied = as(alice, "hello\n", "produce", "guarded");
            assertThat(denied.status()).isEqualTo(1);
            assertThat(denied.err()).contains("Not authorized to access topics: [guarded]");
        });

        Result acls = ok(as(
                admin,
                "",
                "acls",
                "create",
                "--allow-principal",
                "User:alice",
                "--operation",
                "Write",
                "--operation",
                "Read",
                "--operation",
                "Describe",
                "--topic",
                "guarded"));
        assertThat(acls.lines()).hasSize(4);
        ok(as(
                admin,
                "",
                "acls",
                "create",
                "--allow-principal",
                "User:alice",
                "--operation",
                "Read",
                "--group",
                "alice-",
                "--resource-pattern-type",
                "prefixed"));
        Result listed = ok(as(admin, "", "acls", "list", "--principal", "User:alice", "-o", "json"));
        assertThat(listed.out()).contains("\"operation\" : \"WRITE\"", "\"pattern_type\" : \"PREFIXED\"");

        ok(as(alice, "hello\n", "produce", "guarded"));
        Result read = ok(as(alice, "", "consume", "guarded", "-b", "-n", "1", "--group", "alice-app"));
        assertThat(read.out()).isEqualTo("hello\n");
        Result otherGroup = as(alice, "", "consume", "guarded", "-b", "-n", "1", "--group", "bob-app");
        assertThat(otherGroup.status()).isEqualTo(1);
        assertThat(otherGroup.err()).contains("Not authorized to access group");

        Result revoked = ok(as(admin, "", "acls", "delete", "--topic", "guarded", "--operation", "Write"));
        assertThat(revoked.out()).contains("WRITE").doesNotContain("READ");
        assertThat(as(alice, "again\n", "produce", "guarded").status()).isEqualTo(1);

        Path newPassword = home.resolve("new-password");
        Files.writeString(newPassword, "alice-Changed-3\n");
        ok(as(admin, "", "users", "set-password", "alice", "--password-file", newPassword.toString()));
        // the broker learns of the new password through its ZooKeeper watch, a moment after it answered
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Result oldLogin = as(alice, "", "topics", "list");
            assertThat(oldLogin.status()).isEqualTo(1);
            assertThat(oldLogin.err()).contains("Authentication failed");
        });

        ok(as(admin, "", "users", "delete", "alice"));
        assertThat(ok(as(admin, "", "users", "list")).out()).doesNotContain("alice");
        Result anonymous = cli.run("topics", "list");
        assertThat(anonymous.status())
                .as("a plaintext client on a SASL listener")
                .isEqualTo(1);
    }
}
