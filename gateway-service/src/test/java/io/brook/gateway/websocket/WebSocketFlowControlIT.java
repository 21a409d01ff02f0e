package io.brook.gateway.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.gateway.testkit.GatewayIntegrationTest;
import io.brook.gateway.testkit.TestSocket;
import io.brook.gateway.testkit.TestTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Flow control of the consume socket with small bounds (a gateway of its own): the unacknowledged
 * bound, and a client that stops reading is closed while another socket keeps flowing.
 */
@GatewayIntegrationTest
@TestPropertySource(
        properties = {
            "brook.gateway.streams.max-unacked-records=5",
            "brook.gateway.streams.max-queued-frames=20",
            "brook.gateway.streams.stall-timeout=2s"
        })
class WebSocketFlowControlIT {

    static String cluster;

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    MeterRegistry registry;

    @BeforeAll
    static void topics() throws Exception {
        TestTopics.create("ws-unacked", 1);
        TestTopics.create("ws-stall", 1);
        cluster = TestTopics.clusterId();
    }

    String url(String topic, String query) {
        return "ws://127.0.0.1:" + port + "/v3/clusters/" + cluster + "/topics/" + topic + "/consume-socket?" + query;
    }

    @Test
    void aGroupSocketHasAtMostMaxUnackedRecordsOutstandingWhateverItsCredits() throws Exception {
        TestTopics.produce(
                "ws-unacked",
                0,
                IntStream.range(0, 10).mapToObj(i -> new byte[] {(byte) i}).toList());
        try (TestSocket socket = TestSocket.open(url("ws-unacked", "group=ws-unacked-g&from=beginning&credits=100"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> socket.received().size() >= 5);
            await().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> socket.received().size() == 5);
            socket.send("{\"type\": \"ack\", \"partition\": 0, \"offset\": 2}");
            await().atMost(Duration.ofSeconds(20)).until(() -> socket.received().size() >= 8);
            await().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> socket.received().size() == 8);
        }
    }

    double closedForSlowness() {
        return registry.find("brook.gateway.websocket.closed").counters().stream()
                .filter(c -> !"protocol".equals(c.getId().getTag("reason")))
                .mapToDouble(Counter::count)
                .sum();
    }

    @Test
    void aStalledSocketIsClosedWithAReasonWhileAnotherSocketKeepsFlowing() throws Exception {
        double before = closedForSlowness();
        String query = "from=beginning&credits=1000000";
        try (TestSocket stalled = TestSocket.open(url("ws-stall", query), false);
                TestSocket healthy = TestSocket.open(url("ws-stall", query))) {
            // 64 KiB records until the stalled client's TCP buffers, the connection's and the
            // socket's queue are full: a few MB on loopback.
            byte[] big = new byte[64 * 1024];
            Arrays.fill(big, (byte) 'x');
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                batch.add(big);
            }
            int[] produced = {0};
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        if (closedForSlowness() > before) {
                            return true;
                        }
                        if (produced[0] < 4000) {
                            TestTopics.produce("ws-stall", 0, batch);
                            produced[0] += batch.size();
                        }
                        return false;
                    });
            // The other socket got everything, stall or not.
            TestTopics.produce("ws-stall", 0, List.of("after".getBytes(StandardCharsets.UTF_8)));
            int total = produced[0] + 1;
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> healthy.received().size() == total);
            assertThat(healthy.closeCode()).isNotDone();

            // The stalled client, reading again, finds the close frame with its reason.
            stalled.resumeReading();
            assertThat(stalled.closeCode().get(60, TimeUnit.SECONDS)).isIn(1008, 1013);
            assertThat(stalled.closeReason()).containsAnyOf("stalled", "queue full");
            assertThat(stalled.received().size()).isLessThan(total);
        }
    }
}
