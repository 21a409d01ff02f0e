package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.metadata.MetadataCache;
import io.brook.cluster.metadata.MetadataImage;
import io.brook.cluster.metadata.MetadataListener;
import io.brook.cluster.metadata.PartitionState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker stopped cleanly (its Spring context closed, as on SIGTERM) first has the controller
 * move its leaderships to the other in-sync replica, while it is still registered; with {@code
 * controlled-shutdown-enable=false} leadership moves only once it has deregistered. The ISR is what
 * the controller wrote at creation (both replicas), since followers do not replicate on this
 * branch.
 */
class ControlledShutdownIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Starts two brokers, creates a topic led by broker 2, stops broker 2; returns the image in which broker 1 first led it. */
    MetadataImage stopTheLeader(String... brokerArgs) throws Exception {
        cluster = TestCluster.start(tmp, 2, brokerArgs);
        TopicPartition tp = new TopicPartition("orders", 0);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.broker(1).bootstrap()))) {
            admin.createTopics(List.of(new NewTopic("orders", Map.of(0, List.of(2, 1), 1, List.of(1, 2)))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        MetadataCache observer = cluster.broker(1).bean(MetadataCache.class);
        await().atMost(TIMEOUT)
                .until(() -> observer.partitionState(tp)
                        .map(s -> s.leader() == 2 && s.isr().size() == 2)
                        .orElse(false));
        AtomicReference<MetadataImage> firstLedByOne = new AtomicReference<>();
        observer.addListener(new MetadataListener() {
            @Override
            public void onImage(MetadataImage image) {
                if (image.partitionState(tp).map(s -> s.leader() == 1).orElse(false)) {
                    firstLedByOne.compareAndSet(null, image);
                }
            }
        });

        cluster.broker(2).stop();

        await().atMost(TIMEOUT).until(() -> firstLedByOne.get() != null);
        await().atMost(TIMEOUT).until(() -> !observer.image().brokers().containsKey(2));
        PartitionState last = observer.partitionState(tp).orElseThrow();
        assertThat(last.leader()).isEqualTo(1);
        assertThat(last.isr()).containsExactly(1);
        return firstLedByOne.get();
    }

    @Test
    void leadershipMovesBeforeTheBrokerDeregisters() throws Exception {
        MetadataImage moved = stopTheLeader("--brook.broker.controlled-shutdown-timeout=20s");

        assertThat(moved.brokers())
                .as("broker 2 still registered when broker 1 took over")
                .containsKey(2);
        assertThat(moved.shuttingDownBrokers()).containsExactly(2);
        assertThat(moved.partitionState(new TopicPartition("orders", 0))
                        .orElseThrow()
                        .leaderEpoch())
                .isEqualTo(1);
    }

    @Test
    void withoutControlledShutdownLeadershipMovesOnlyAfterTheBrokerIsGone() throws Exception {
        MetadataImage moved = stopTheLeader("--brook.broker.controlled-shutdown-enable=false");

        assertThat(moved.brokers()).doesNotContainKey(2);
    }
}
