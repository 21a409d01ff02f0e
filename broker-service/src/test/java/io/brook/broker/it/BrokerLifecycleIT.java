package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.cluster.zk.EmbeddedZooKeeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up, probes and refusal of a duplicate broker id, on the real application. */
class BrokerLifecycleIT {

    @TempDir
    Path tmp;

    static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    @Test
    void probesAreUpOnceTheBrokerServesAndADuplicateIdIsRefused() throws Exception {
        try (EmbeddedZooKeeper zookeeper = EmbeddedZooKeeper.startOnFreePort(tmp.resolve("zk"));
                TestBroker broker = new TestBroker(7, tmp.resolve("b7"), zookeeper.connectString()).start()) {
            assertThat(get(broker.httpPort(), "/actuator/health/readiness"))
                    .startsWith("200")
                    .contains("UP");
            assertThat(get(broker.httpPort(), "/actuator/health/liveness"))
                    .startsWith("200")
                    .contains("UP");

            TestBroker twin = new TestBroker(7, tmp.resolve("twin"), zookeeper.connectString());
            assertThatThrownBy(twin::start)
                    .rootCause()
                    .hasMessageContaining("broker id 7 is already registered by a live broker");
        }
    }
}
