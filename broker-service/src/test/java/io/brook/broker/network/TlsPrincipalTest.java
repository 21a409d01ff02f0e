package io.brook.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.broker.config.ListenerProperties;
import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.TestCertificates;
import io.brook.broker.security.TlsContexts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The principal a TLS listener puts into each request's context, seen by a handler: {@code
 * User:<the client certificate's DN>} with a certificate, ANONYMOUS without one (client
 * authentication requested, not required); and the listener's name and protocol.
 */
class TlsPrincipalTest {

    @TempDir
    Path tmp;

    /** Metadata that notes the context and answers with no broker (the client keeps asking). */
    static final class Recording implements ApiHandler {
        final List<KafkaRequest> seen = new CopyOnWriteArrayList<>();

        @Override
        public ApiKeys apiKey() {
            return ApiKeys.METADATA;
        }

        @Override
        public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
            seen.add(request);
            return CompletableFuture.completedFuture(
                    new MetadataResponse(new MetadataResponseData(), request.version()));
        }
    }

    @Test
    void aClientCertificatesDistinguishedNameIsThePrincipalAndNoCertificateIsAnonymous() throws Exception {
        TestCertificates ca = TestCertificates.create(tmp.resolve("pki"), "unit-ca");
        TestCertificates.Issued server = ca.issue("listener");
        TestCertificates.Issued client = ca.issue("reporting-app");
        ListenerProperties.Ssl ssl = new ListenerProperties.Ssl();
        ssl.setKeystoreLocation(server.keystore().toString());
        ssl.setKeystorePassword(server.password());
        ssl.setTruststoreLocation(ca.truststore().toString());
        ssl.setTruststorePassword(ca.storePassword);
        ssl.setClientAuth("requested");
        ListenerSecurity security = new ListenerSecurity(
                new ListenerName("CLIENTS"),
                SecurityProtocol.SSL,
                Optional.of(TlsContexts.server(ssl)),
                Optional.empty());
        Recording metadata = new Recording();
        try (TestListener listener = new TestListener(tmp)) {
            KafkaServer kafka = listener.serve(1 << 20, security, metadata);
            Map<String, Object> config = new HashMap<>();
            config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafka.port());
            config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
            config.put(
                    SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ca.truststore().toString());
            config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, ca.storePassword);
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 500);

            assertThat(principalOf(config, metadata)).isEqualTo(KafkaPrincipal.ANONYMOUS);

            config.put(
                    SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, client.keystore().toString());
            config.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, client.password());
            KafkaPrincipal withCertificate = principalOf(config, metadata);
            assertThat(withCertificate.getPrincipalType()).isEqualTo(KafkaPrincipal.USER_TYPE);
            assertThat(withCertificate.getName()).isEqualTo("CN=reporting-app,OU=test,O=Brook");

            KafkaRequest last = metadata.seen.get(metadata.seen.size() - 1);
            assertThat(last.context().listenerName).isEqualTo(new ListenerName("CLIENTS"));
            assertThat(last.context().securityProtocol).isEqualTo(SecurityProtocol.SSL);
        }
    }

    private static KafkaPrincipal principalOf(Map<String, Object> config, Recording metadata) {
        metadata.seen.clear();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            try {
                producer.partitionsFor("any");
            } catch (RuntimeException expected) {
                // no broker in the answer: the client gives up after max.block.ms
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> !metadata.seen.isEmpty());
        }
        return metadata.seen.get(0).context().principal;
    }
}
