package io.brook.gateway.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.brook.gateway.testkit.AuthorizedBroker;
import io.brook.gateway.testkit.BrokerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The dashboard end to end: this gateway, with security on and the dashboard built in, against a
 * real broker of its own with Kafka's authorizer on (so that ACLs can be created; the gateway's
 * ANONYMOUS connection is its super user); the Node script {@code admin-ui/e2e/run.mjs} drives a real headless
 * Chromium (Debian's {@code chromium}, through playwright-core) through it: log in, brokers,
 * create a topic, produce from the UI and see the record in the browser and in a live tail (with
 * pause and resume), search, the topic's size and the broker's log size as numbers, the
 * Overview's throughput charts and a group's lag chart drawn from the gateway's samples, a
 * group's lag and an offset-reset preview, an ACL made in the UI and enforced on another user's
 * HTTP produce, a user created, its password changed and the user deleted in the UI (each checked
 * by logging in over HTTP), a phone-sized screen, delete, log out. It saves a screenshot of each
 * page under {@code admin-ui/target/screenshots/}.
 *
 * <p>The gateway samples throughput and lag every second here ({@code
 * brook.gateway.dashboard.sample-interval=1s}; 5 s by default), so that the charts have their two
 * samples within the few seconds the script spends on a page.
 *
 * <p>Skipped, with the reason, where Chromium, Node or the dashboard's npm packages are absent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "60s")
@ContextConfiguration(initializers = AdminUiIT.SecuredBroker.class)
// This gateway's clients point at this class's broker: closed after the class, not cached for others.
@DirtiesContext
@TestPropertySource(
        properties = {
            "brook.gateway.security.enabled=true",
            "brook.gateway.security.token-secret=admin-ui-it-secret-0123456789abcdef",
            "brook.gateway.security.super-users=User:uiadmin",
            "brook.gateway.security.login-failure-delay=10ms",
            // Charts need two samples: at the default 5 s the run would wait for them on each page.
            "brook.gateway.dashboard.sample-interval=1s"
        })
class AdminUiIT {

    static final String ADMIN = "uiadmin";
    static final String ADMIN_PASSWORD = "ui-admin-pw-4Kd";
    static final String USER = "uibob";
    static final String USER_PASSWORD = "ui-bob-pw-8Wq";
    static final String LAG_TOPIC = "ui-lag-topic";
    static final String GROUP = "ui-lagging-group";
    static final Path ADMIN_UI = Path.of("..", "admin-ui").toAbsolutePath().normalize();
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    static final AuthorizedBroker BROKER = new AuthorizedBroker("admin-ui");

    /** Points the gateway at this class's broker, with the authorizer on. */
    static class SecuredBroker implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            BROKER.pointGatewayAt(context);
        }
    }

    static BrokerProcess broker() {
        return BROKER.process();
    }

    static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrap()));
    }

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient http;

    @BeforeAll
    static void usersAndALaggingGroup() throws Exception {
        BROKER.addUser(ADMIN, ScramMechanism.SCRAM_SHA_256, ADMIN_PASSWORD);
        BROKER.addUser(USER, ScramMechanism.SCRAM_SHA_512, USER_PASSWORD);

        // A group with a committed offset of 3 on a partition with 10 records: lag 7.
        try (Admin admin = admin();
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrap()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            admin.createTopics(List.of(new NewTopic(LAG_TOPIC, 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(LAG_TOPIC, 0, null, ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            admin.alterConsumerGroupOffsets(GROUP, Map.of(new TopicPartition(LAG_TOPIC, 0), new OffsetAndMetadata(3)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theGatewayServesTheDashboardWithItsRoutesAndWithoutALogin() {
        http.get().uri("/ui").exchange().expectStatus().isFound().expectHeader().location("/ui/");
        String index = http.get()
                .uri("/ui/")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith("text/html")
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(index).contains("<div id=\"root\">").contains("/ui/assets/");
        // A client-side route answers the same page, a dotted topic name included.
        http.get()
                .uri("/ui/topics/orders.v1/messages")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .isEqualTo(index);
        // The assets themselves, as files.
        String asset = index.replaceAll("(?s).*src=\"(/ui/assets/[^\"]+\\.js)\".*", "$1");
        http.get()
                .uri(asset)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith("text/javascript");
        // The API behind it still needs a login.
        http.get().uri("/v3/clusters").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void theDashboardWorksEndToEndInChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
        assumeTrue(
                Files.isDirectory(ADMIN_UI.resolve("node_modules/playwright-core")),
                "admin-ui/node_modules is missing (built with -Dskip.ui?)");
        // The gateway has the users from ZooKeeper and reaches the broker before a browser comes.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> http.get()
                                .uri("/v3/clusters")
                                .headers(h -> h.setBasicAuth(ADMIN, ADMIN_PASSWORD))
                                .exchange()
                                .returnResult(String.class)
                                .getStatus()
                                .value()
                        == 200);
        Path out = Files.createTempFile("admin-ui-e2e", ".log");
        ProcessBuilder builder = new ProcessBuilder("node", "e2e/run.mjs", "http://127.0.0.1:" + port)
                .directory(ADMIN_UI.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        Map<String, String> env = builder.environment();
        env.put("BROOK_E2E_ADMIN", ADMIN);
        env.put("BROOK_E2E_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("BROOK_E2E_USER", USER);
        env.put("BROOK_E2E_USER_PASSWORD", USER_PASSWORD);
        env.put("BROOK_E2E_GROUP", GROUP);
        env.put("BROOK_E2E_GROUP_LAG", "7");
        env.put("CHROMIUM", CHROMIUM.toString());
        env.put("BROOK_E2E_SCREENSHOTS", ADMIN_UI.resolve("target/screenshots").toString());
        Process process = builder.start();
        boolean done = process.waitFor(Duration.ofMinutes(5).toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        String output = read(out);
        System.out.println(output);
        assertThat(done).as("the e2e script finished within 5 minutes").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("e2e: all steps passed");
        assertThat(output).doesNotContain(ADMIN_PASSWORD).doesNotContain(USER_PASSWORD);
        assertThat(ADMIN_UI.resolve("target/screenshots/09-live-tail.png")).isRegularFile();
        assertThat(output)
                .containsPattern("messages/s: \\d+ samples, peak [1-9]")
                .containsPattern("lag: \\d+ samples, peak 7");
        assertThat(ADMIN_UI.resolve("target/screenshots/14-overview-throughput.png"))
                .isRegularFile();
        assertThat(ADMIN_UI.resolve("target/screenshots/16-group.png")).isRegularFile();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
