package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.brook.broker.network.KafkaListeners;
import io.brook.broker.security.AuditLog;
import io.brook.broker.security.TestCertificates;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * One broker with four listeners at once (PLAINTEXT, SASL_PLAINTEXT, SSL with client certificates
 * requested, SASL_SSL) and a test CA, driven by the Java clients and kcat: every SASL mechanism
 * authenticates against the one credential store, wrong and unknown credentials are refused with
 * nothing produced, TLS refuses plaintext clients and clients trusting another CA, each listener
 * advertises its own endpoints, and no password reaches a log.
 */
class SecureListenersIT {

    @TempDir
    static Path tmp;

    static TestCertificates ca;
    static TestCluster cluster;
    static TestBroker broker;
    static final String USER = "alice";
    static final String PASSWORD = "alice-secret-" + Long.toHexString(System.nanoTime());

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.create(tmp.resolve("pki"), "test-ca");
        TestCertificates.Issued brokerCert = ca.issue("broker");
        cluster = TestCluster.start(
                tmp,
                1,
                tlsArgs(
                        brokerCert,
                        "requested",
                        "--brook.broker.listeners=PLAINTEXT://127.0.0.1:{port},SASL_PLAINTEXT://127.0.0.1:0,"
                                + "SSL://127.0.0.1:0,SASL_SSL://127.0.0.1:0"));
        broker = cluster.broker(1);
        broker.addScramUser(USER, PASSWORD);
    }

    static String[] tlsArgs(TestCertificates.Issued brokerCert, String clientAuth, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--brook.broker.ssl.keystore-location=" + brokerCert.keystore(),
                "--brook.broker.ssl.keystore-password=" + brokerCert.password(),
                "--brook.broker.ssl.truststore-location=" + ca.truststore(),
                "--brook.broker.ssl.truststore-password=" + ca.storePassword,
                "--brook.broker.ssl.client-auth=" + clientAuth));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static int port(String listener) {
        return broker.bean(KafkaListeners.class).port(new ListenerName(listener));
    }

    /** Client settings for a listener: its address, protocol and, where asked, SASL and TLS. */
    static Map<String, Object> client(String listener, String mechanism, String user, String password) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port(listener));
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, listener);
        if (mechanism != null) {
            String module = mechanism.equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            config.put(SaslConfigs.SASL_MECHANISM, mechanism);
            config.put(
                    SaslConfigs.SASL_JAAS_CONFIG,
                    module + " required username=\"" + user + "\" password=\"" + password + "\";");
        }
        if (listener.endsWith("SSL")) {
            try {
                config.put(
                        SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                        ca.truststore().toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, ca.storePassword);
            config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        }
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return config;
    }

    /** Produces {@code count} records, reads them back in a group; the values, in order. */
    static List<String> roundTrip(Map<String, Object> config, String topic, int count) throws Exception {
        Map<String, Object> producerConfig = new HashMap<>(config);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k", "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        Map<String, Object> consumerConfig = new HashMap<>(config);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "group-" + topic);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                return values.size() >= count;
            });
            consumer.commitSync();
        }
        return values;
    }

    static List<String> expected(int count) {
        return IntStream.range(0, count).mapToObj(i -> "v" + i).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"})
    void everyMechanismProducesAndConsumesOverSaslPlaintext(String mechanism) throws Exception {
        Map<String, Object> config = client("SASL_PLAINTEXT", mechanism, USER, PASSWORD);
        assertThat(roundTrip(config, "sasl-" + mechanism, 10)).isEqualTo(expected(10));
        // Metadata answers with the endpoints of the listener the request came in on.
        try (Admin admin = Admin.create(config)) {
            List<Integer> ports = admin.describeCluster().nodes().get().stream()
                    .map(Node::port)
                    .toList();
            assertThat(ports).containsExactly(port("SASL_PLAINTEXT"));
        }
    }

    @Test
    void saslSslProducesAndConsumesWithScram() throws Exception {
        Map<String, Object> config = client("SASL_SSL", "SCRAM-SHA-512", USER, PASSWORD);
        assertThat(roundTrip(config, "sasl-ssl", 10)).isEqualTo(expected(10));
        try (Admin admin = Admin.create(config)) {
            assertThat(admin.describeCluster().nodes().get())
                    .extracting(Node::port)
                    .containsExactly(port("SASL_SSL"));
        }
    }

    @Test
    void sslWithoutAClientCertificateProducesAndConsumes() throws Exception {
        assertThat(roundTrip(client("SSL", null, null, null), "ssl-plain", 10)).isEqualTo(expected(10));
    }

    @Test
    void sslWithAClientCertificateProducesAndConsumes() throws Exception {
        TestCertificates.Issued clientCert = ca.issue("ssl-client");
        Map<String, Object> config = client("SSL", null, null, null);
        config.put(
                SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, clientCert.keystore().toString());
        config.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, clientCert.password());
        config.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        // Fetch responses leave through the SslHandler in chunks: more than one chunk's worth.
        String big = "x".repeat(200_000);
        Map<String, Object> producerConfig = new HashMap<>(config);
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("ssl-big", "k", big + i)).get(30, TimeUnit.SECONDS);
            }
        }
        Map<String, Object> consumerConfig = new HashMap<>(config);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "ssl-big");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("ssl-big"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return values.size() >= 5;
            });
        }
        assertThat(values).containsExactly(big + 0, big + 1, big + 2, big + 3, big + 4);
    }

    @Test
    void wrongPasswordAndUnknownUserAreRefusedAndNothingIsProduced() throws Exception {
        String topic = "refused";
        try (Admin admin = Admin.create(client("PLAINTEXT", null, null, null))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        for (String mechanism : List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")) {
            assertRefused(client("SASL_PLAINTEXT", mechanism, USER, "not-" + PASSWORD), topic);
            assertRefused(client("SASL_PLAINTEXT", mechanism, "mallory", PASSWORD), topic);
        }
        assertRefused(client("SASL_SSL", "SCRAM-SHA-256", USER, "wrong"), topic);
        try (Admin admin = Admin.create(client("PLAINTEXT", null, null, null))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                            .partitionResult(tp)
                            .get()
                            .offset())
                    .isZero();
        }
    }

    private static void assertRefused(Map<String, Object> config, String topic) {
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() ->
                            producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS))
                    .satisfies(
                            e -> assertThat(causes(e)).hasAtLeastOneElementOfType(SaslAuthenticationException.class));
        }
    }

    static List<Throwable> causes(Throwable e) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable t = e; t != null && !all.contains(t); t = t.getCause()) {
            all.add(t);
        }
        return all;
    }

    @Test
    void clientsThatSkipAuthenticationOrTlsGetNoAnswer() {
        // A plaintext client on the SASL listener: its first non-SASL request closes the
        // connection. A plaintext client on the TLS listener: its bytes are no TLS record.
        for (String listener : List.of("SASL_PLAINTEXT", "SSL")) {
            Map<String, Object> config = client("PLAINTEXT", null, null, null);
            config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port(listener));
            config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000);
            config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
            try (Admin admin = Admin.create(config)) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get())
                        .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
            }
        }
    }

    @Test
    void aTlsClientTrustingAnotherCaIsRefused() throws Exception {
        TestCertificates other = TestCertificates.create(tmp.resolve("other-pki"), "other-ca");
        Map<String, Object> config = client("SSL", null, null, null);
        config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, other.truststore().toString());
        config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, other.storePassword);
        try (Admin admin = Admin.create(config)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get())
                    .hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void aRequiredClientCertificateRefusesClientsWithoutOne() throws Exception {
        TestCertificates.Issued brokerCert = ca.issue("strict-broker");
        try (TestBroker strict = new TestBroker(
                        9,
                        tmp.resolve("strict"),
                        null,
                        tlsArgs(
                                brokerCert,
                                "required",
                                "--brook.broker.listeners=SSL://127.0.0.1:{port}",
                                "--brook.zookeeper.embedded-data-dir=" + tmp.resolve("strict-zk")))
                .start()) {
            Map<String, Object> config = client("SSL", null, null, null);
            config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, strict.bootstrap());
            try (Admin admin = Admin.create(config)) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get())
                        .hasCauseInstanceOf(SslAuthenticationException.class);
            }
            TestCertificates.Issued clientCert = ca.issue("strict-client");
            config.put(
                    SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG,
                    clientCert.keystore().toString());
            config.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, clientCert.password());
            try (Admin admin = Admin.create(config)) {
                assertThat(admin.describeCluster().nodes().get())
                        .extracting(Node::port)
                        .containsExactly(strict.port);
            }
        }
    }

    /**
     * kcat over SASL SCRAM-SHA-256 and PLAIN and over TLS. The kcat of Debian bookworm is built on
     * librdkafka 2.0.2, whose SCRAM final message repeats the client nonce: it logs in all the same
     * (see {@code TolerantScramSaslServer}).
     */
    @Test
    void kcatProducesAndConsumesOverSaslScramAndPlainAndOverTls() throws Exception {
        List<String> scram = List.of(
                "-b",
                "127.0.0.1:" + port("SASL_PLAINTEXT"),
                "-X",
                "security.protocol=SASL_PLAINTEXT",
                "-X",
                "sasl.mechanisms=SCRAM-SHA-256",
                "-X",
                "sasl.username=" + USER,
                "-X",
                "sasl.password=" + PASSWORD);
        List<String> plain = List.of(
                "-b",
                "127.0.0.1:" + port("SASL_PLAINTEXT"),
                "-X",
                "security.protocol=SASL_PLAINTEXT",
                "-X",
                "sasl.mechanisms=PLAIN",
                "-X",
                "sasl.username=" + USER,
                "-X",
                "sasl.password=" + PASSWORD);
        List<String> tls = List.of(
                "-b",
                "127.0.0.1:" + port("SSL"),
                "-X",
                "security.protocol=SSL",
                "-X",
                "ssl.ca.location=" + ca.caPem(),
                "-X",
                "ssl.endpoint.identification.algorithm=none");
        List<List<String>> accesses = List.of(scram, plain, tls);
        for (int i = 0; i < accesses.size(); i++) {
            List<String> access = accesses.get(i);
            String topic = "kcat-" + i;
            List<String> produce = new ArrayList<>(List.of("kcat"));
            produce.addAll(access);
            produce.addAll(List.of("-t", topic, "-P"));
            Process producer =
                    new ProcessBuilder(produce).redirectErrorStream(true).start();
            try (var out = producer.getOutputStream()) {
                out.write("one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(producer.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(producer.exitValue())
                    .as(new String(producer.getInputStream().readAllBytes()))
                    .isZero();

            List<String> consume = new ArrayList<>(List.of("kcat"));
            consume.addAll(access);
            consume.addAll(List.of("-t", topic, "-C", "-e", "-o", "beginning", "-f", "%s\\n"));
            Process consumer = new ProcessBuilder(consume).start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(consumer.getInputStream(), StandardCharsets.UTF_8))) {
                reader.lines().forEach(lines::add);
            }
            assertThat(consumer.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(lines).containsExactly("one", "two", "three");
        }
        // And kcat with a wrong password gets nothing, in librdkafka's SCRAM form too.
        Process refused = new ProcessBuilder(
                        "kcat",
                        "-b",
                        "127.0.0.1:" + port("SASL_PLAINTEXT"),
                        "-X",
                        "security.protocol=SASL_PLAINTEXT",
                        "-X",
                        "sasl.mechanisms=SCRAM-SHA-256",
                        "-X",
                        "sasl.username=" + USER,
                        "-X",
                        "sasl.password=wrong",
                        "-L",
                        "-m",
                        "5")
                .redirectErrorStream(true)
                .start();
        String output = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isNotZero();
        assertThat(output).containsIgnoringCase("authentication");
    }

    @Test
    void logsNeverContainThePasswordsOfFailedOrSuccessfulLogins() throws Exception {
        String secret = "log-secret-" + Long.toHexString(System.nanoTime());
        String wrong = "wrong-secret-" + Long.toHexString(System.nanoTime());
        broker.addScramUser("bob", secret);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        List<Logger> loggers = List.of(
                (Logger) LoggerFactory.getLogger("io.brook"),
                (Logger) LoggerFactory.getLogger("org.apache.kafka"),
                (Logger) LoggerFactory.getLogger(AuditLog.LOGGER));
        Map<Logger, Level> levels = new HashMap<>();
        for (Logger logger : loggers) {
            levels.put(logger, logger.getLevel());
            logger.setLevel(Level.DEBUG);
            logger.setAdditive(false);
            logger.addAppender(captured);
        }
        try {
            for (String mechanism : List.of("PLAIN", "SCRAM-SHA-512")) {
                assertRefused(client("SASL_PLAINTEXT", mechanism, "bob", wrong), "logged");
                assertThat(roundTrip(client("SASL_PLAINTEXT", mechanism, "bob", secret), "logged-" + mechanism, 1))
                        .hasSize(1);
            }
        } finally {
            for (Logger logger : loggers) {
                logger.detachAppender(captured);
                logger.setAdditive(true);
                logger.setLevel(levels.get(logger));
            }
        }
        List<ILoggingEvent> events = new ArrayList<>(captured.list);
        assertThat(events).isNotEmpty();
        for (ILoggingEvent event : events) {
            String text = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null
                            ? ""
                            : event.getThrowableProxy().getMessage());
            assertThat(text).doesNotContain(secret).doesNotContain(wrong);
        }
        // The audit logger names the user, the client and the mechanism of each failure.
        assertThat(events)
                .filteredOn(e -> e.getLoggerName().equals(AuditLog.LOGGER) && e.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("user=bob", "mechanism=PLAIN", "client=127.0.0.1"))
                .anySatisfy(m -> assertThat(m).contains("user=bob", "mechanism=SCRAM-SHA-512"));
    }
}
