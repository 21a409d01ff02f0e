package io.brook.cluster.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.testkit.ZooKeeperCluster;
import io.brook.cluster.testkit.ZooKeeperTest;
import io.brook.cluster.zk.ControllerEpoch;
import io.brook.cluster.zk.ZkClusterClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

@ZooKeeperTest
class MetadataCacheTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Records what the cache reports, as strings in order. */
    static final class Recorder implements MetadataListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onBrokersChanged(Set<Integer> live) {
            events.add("brokers " + new java.util.TreeSet<>(live));
        }

        @Override
        public void onTopicDeleted(String topic) {
            events.add("deleted " + topic);
        }

        @Override
        public void onPartitionStateChanged(TopicPartition tp, PartitionState state) {
            events.add("state " + tp + " leader " + state.leader() + " epoch " + state.leaderEpoch());
        }

        @Override
        public void onTopicConfigChanged(String topic, Map<String, String> config) {
            events.add("config " + topic + " " + new java.util.TreeMap<>(config));
        }
    }

    static BrokerRegistration broker(int id) {
        return new BrokerRegistration(
                id, List.of(new Endpoint("PLAINTEXT", "h", 9000 + id, SecurityProtocol.PLAINTEXT)), Optional.empty());
    }

    @Test
    void followsBrokersTopicsStatesConfigsAndDeletionsAndTellsListeners(ZooKeeperCluster zk) {
        ZkClusterClient writer = new ZkClusterClient(zk.newClient());
        writer.ensurePersistentPaths();
        String clusterId = writer.getOrCreateClusterId();
        writer.registerBroker(broker(1), 0L);
        MetadataCache cache = new MetadataCache(zk.newClient());
        Recorder recorder = new Recorder();
        cache.addListener(recorder);
        cache.start(TIMEOUT);
        assertThat(cache.clusterId()).contains(clusterId);
        assertThat(cache.brokers()).containsExactly(broker(1));
        assertThat(recorder.events).containsExactly("brokers [1]");

        // a topic, its config and, from the "controller", its partition states
        TopicAssignment topic = new TopicAssignment("orders", Uuid.randomUuid(), Map.of(0, List.of(1), 1, List.of(1)));
        writer.createTopic(topic, Map.of("retention.ms", "1000"));
        ControllerEpoch fence = writer.claimController(1, 0L);
        TopicPartition p0 = new TopicPartition("orders", 0);
        TopicPartition p1 = new TopicPartition("orders", 1);
        writer.createPartitionState(p0, new PartitionState(1, 0, List.of(1), fence.epoch(), -1), fence);
        assertThat(cache.awaitTopic("orders", Duration.ofMillis(300)))
                .as("not ready while a partition has no state")
                .isFalse();
        writer.createPartitionState(p1, new PartitionState(1, 0, List.of(1), fence.epoch(), -1), fence);

        assertThat(cache.awaitTopic("orders", TIMEOUT)).isTrue();
        assertThat(cache.topic("orders")).contains(topic);
        assertThat(cache.topicId("orders")).contains(topic.topicId());
        assertThat(cache.image().topicName(topic.topicId())).contains("orders");
        assertThat(cache.topicConfig("orders")).containsEntry("retention.ms", "1000");
        assertThat(cache.partitionState(p0)).contains(new PartitionState(1, 0, List.of(1), fence.epoch(), 0));
        await().atMost(TIMEOUT).until(() -> cache.controllerId().orElse(-1) == 1);

        // a leader change
        writer.registerBroker(broker(2), 0L);
        writer.updatePartitionState(p0, new PartitionState(2, 1, List.of(2), fence.epoch(), 0), fence);
        await().atMost(TIMEOUT)
                .until(() ->
                        cache.partitionState(p0).map(PartitionState::leader).orElse(-1) == 2);
        assertThat(cache.partitionState(p0).orElseThrow().zkVersion()).isEqualTo(1);

        // deletion
        writer.markTopicForDeletion("orders");
        await().atMost(TIMEOUT).until(() -> cache.image().isMarkedForDeletion("orders"));
        writer.deleteTopicZNodes("orders", fence);
        assertThat(cache.awaitTopicDeleted("orders", TIMEOUT)).isTrue();
        assertThat(cache.partitionState(p0)).isEmpty();
        assertThat(cache.topicConfig("orders")).isEmpty();

        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(recorder.events)
                        .containsSubsequence(
                                "brokers [1]",
                                "config orders {retention.ms=1000}",
                                "state orders-1 leader 1 epoch 0",
                                "brokers [1, 2]",
                                "state orders-0 leader 2 epoch 1",
                                "deleted orders")
                        .contains("state orders-0 leader 1 epoch 0")
                        .doesNotHaveDuplicates());
        cache.close();
    }

    @Test
    void awaitAsyncCompletesWhenTheConditionHoldsOrWithEmptyAtItsTimeout(ZooKeeperCluster zk) throws Exception {
        ZkClusterClient writer = new ZkClusterClient(zk.newClient());
        writer.ensurePersistentPaths();
        MetadataCache cache = new MetadataCache(zk.newClient());
        cache.start(TIMEOUT);

        assertThat(cache.awaitAsync(i -> true, TIMEOUT).get(10, TimeUnit.SECONDS))
                .as("already true: completes at once")
                .isPresent();
        assertThat(cache.awaitAsync(i -> i.topic("never").isPresent(), Duration.ofMillis(200))
                        .get(10, TimeUnit.SECONDS))
                .as("times out with empty, not an exception")
                .isEmpty();

        CompletableFuture<Optional<MetadataImage>> later =
                cache.awaitAsync(i -> i.topic("late").isPresent(), TIMEOUT);
        assertThat(later).isNotDone();
        writer.createTopic(new TopicAssignment("late", Uuid.randomUuid(), Map.of(0, List.of(1))), Map.of());
        assertThat(later.get(10, TimeUnit.SECONDS).orElseThrow().topic("late")).isPresent();
        cache.close();
    }

    @Test
    void listenersAddedBeforeStartSeeTheExistingPartitions(ZooKeeperCluster zk) {
        ZkClusterClient writer = new ZkClusterClient(zk.newClient());
        writer.ensurePersistentPaths();
        writer.createTopic(new TopicAssignment("t", Uuid.randomUuid(), Map.of(0, List.of(1))), Map.of());
        ControllerEpoch fence = writer.claimController(1, 0L);
        writer.createPartitionState(
                new TopicPartition("t", 0), new PartitionState(1, 3, List.of(1), fence.epoch(), -1), fence);
        MetadataCache cache = new MetadataCache(zk.newClient());
        Recorder recorder = new Recorder();
        cache.addListener(recorder);

        cache.start(TIMEOUT);

        assertThat(recorder.events).containsExactly("state t-0 leader 1 epoch 3");
        assertThat(cache.image().isTopicReady("t")).isTrue();
        cache.close();
    }
}
