package io.brook.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.gateway.testkit.GatewayIntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway over TLS with Spring Boot's standard {@code server.ssl.*}: a key pair and
 * self-signed certificate for 127.0.0.1 made by the JDK's keytool in a temp folder. A client that
 * trusts that certificate gets answers over HTTPS; a plaintext HTTP client is refused, and so is a
 * TLS client that does not trust the certificate.
 */
@GatewayIntegrationTest
class GatewayTlsIT {

    static final String PASSWORD = "changeit-tls";
    static Path keystore;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("brook-gateway-tls");
        keystore = dir.resolve("gateway.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "gateway",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue())
                .as(new String(keytool.getInputStream().readAllBytes()))
                .isZero();
        registry.add("server.ssl.enabled", () -> "true");
        registry.add("server.ssl.key-store", () -> keystore.toString());
        registry.add("server.ssl.key-store-password", () -> PASSWORD);
        registry.add("server.ssl.key-store-type", () -> "PKCS12");
    }

    static HttpClient trusting() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Test
    void aClientTrustingTheCertificateIsAnsweredOverHttps() throws Exception {
        HttpResponse<String> response = trusting()
                .send(
                        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v3/clusters"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"cluster_id\"");
        assertThat(response.sslSession()).isPresent();
    }

    @Test
    void plaintextAndUntrustingClientsAreRefused() {
        HttpClient plain =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> {
                    HttpResponse<String> response = plain.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/clusters"))
                                    // The TLS port waits for a handshake that never comes, or closes.
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    // Some servers answer a plaintext request on a TLS port with 400; that is a
                    // refusal too, but no cluster data may come back.
                    assertThat(response.body()).doesNotContain("cluster_id");
                    throw new IOException("answered " + response.statusCode());
                })
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v3/clusters"))
                                        .timeout(Duration.ofSeconds(30))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }
}
