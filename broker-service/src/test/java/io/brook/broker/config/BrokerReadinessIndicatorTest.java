package io.brook.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.cluster.metadata.PartitionState;
import io.brook.cluster.metadata.TopicAssignment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** What readiness waits for: the followed partitions with a live leader whose ISR lacks this broker. */
class BrokerReadinessIndicatorTest {

    static final int ME = 2;

    static PartitionState state(int leader, List<Integer> isr) {
        return new PartitionState(leader, 3, isr, 1, 0);
    }

    @Test
    void waitsOnlyForFollowedPartitionsWithALiveLeaderThatLackThisBroker() {
        Map<String, TopicAssignment> topics = Map.of(
                "t",
                new TopicAssignment(
                        "t",
                        Uuid.randomUuid(),
                        Map.of(
                                0, List.of(1, 2), // followed, out of the ISR: wait
                                1, List.of(1, 2), // followed, in the ISR
                                2, List.of(2, 1), // led here
                                3, List.of(3, 2), // leader 3 is down
                                4, List.of(1, 3), // not a replica here
                                5, List.of(1, 2), // no leader at all
                                6, List.of(1, 2)))); // no state yet
        Map<TopicPartition, PartitionState> states = Map.of(
                new TopicPartition("t", 0), state(1, List.of(1)),
                new TopicPartition("t", 1), state(1, List.of(1, 2)),
                new TopicPartition("t", 2), state(2, List.of(2)),
                new TopicPartition("t", 3), state(3, List.of(3)),
                new TopicPartition("t", 4), state(1, List.of(1)),
                new TopicPartition("t", 5), state(PartitionState.NO_LEADER, List.of(1)));

        assertThat(BrokerReadinessIndicator.partitionsCatchingUp(ME, topics, states, Set.of(1, 2)))
                .containsExactly(new TopicPartition("t", 0));
        // Once the leader has it back in the ISR, nothing is left.
        Map<TopicPartition, PartitionState> caughtUp = new java.util.HashMap<>(states);
        caughtUp.put(new TopicPartition("t", 0), state(1, List.of(1, 2)));
        assertThat(BrokerReadinessIndicator.partitionsCatchingUp(ME, topics, caughtUp, Set.of(1, 2)))
                .isEmpty();
    }
}
