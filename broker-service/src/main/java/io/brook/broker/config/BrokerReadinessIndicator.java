package io.brook.broker.config;

import io.brook.broker.BrokerServer;
import io.brook.cluster.metadata.MetadataCache;
import io.brook.cluster.metadata.MetadataImage;
import io.brook.cluster.metadata.PartitionState;
import io.brook.cluster.metadata.TopicAssignment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health contributor {@code catchUp}, part of the readiness group ({@code
 * /actuator/health/readiness}): the broker is ready once it has registered in ZooKeeper and it is
 * back in the ISR of every partition it follows whose leader is live, and not once its shutdown
 * has begun. Liveness does not include it: a broker catching up is alive.
 *
 * <pre>
 * state        event                                                    to           health
 * -----        -----                                                    --           ------
 * STARTING     registered (BrokerServer running)                        CATCHING_UP  DOWN
 * CATCHING_UP  in the ISR of every followed partition with a live       READY        UP
 *              leader (as the metadata cache shows it)
 * CATCHING_UP  brook.broker.readiness-catch-up-timeout passed           READY        UP, and a
 *                                                                                    warning
 * READY        (a follower falling out of an ISR later)                 READY        UP
 * any          shutdown begun                                           STOPPING     DOWN
 * </pre>
 *
 * <p>Why the ISR: a follower joins it once its log end reaches the leader's high watermark (and
 * the start of the leader's epoch), which is "caught up to the leader" as the leader itself
 * decides it, and it is the ISR that {@code min.insync.replicas} counts. A rolling restart that
 * waits for readiness before stopping the next broker therefore never takes a partition below its
 * minimum ISR through this broker. Partitions without a live leader are not waited for (nothing to
 * catch up from), nor partitions this broker leads. Once ready, the broker stays ready: a
 * follower leaving an ISR under load later is an alert (under-replicated partitions), not a
 * reason to take the broker out of its Service.
 *
 * <p>Bounded: after {@code readiness-catch-up-timeout} (10 minutes by default) the broker reports
 * ready anyway with the partitions still behind in the details and a warning in the log, so that
 * a follower whose leader never lets it catch up cannot block a rollout forever.
 *
 * <p>Threading: thread-safe (the health endpoint may call it concurrently).
 */
public final class BrokerReadinessIndicator extends AbstractHealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerReadinessIndicator.class);

    private final BrokerServer server;
    private final MetadataCache metadata;
    private final Clock clock;
    private final Duration catchUpTimeout;
    private Instant registeredAt;
    private boolean ready;

    public BrokerReadinessIndicator(BrokerServer server, MetadataCache metadata, Clock clock, Duration catchUpTimeout) {
        super("Broker readiness check failed");
        this.server = server;
        this.metadata = metadata;
        this.clock = clock;
        this.catchUpTimeout = catchUpTimeout;
    }

    @Override
    protected synchronized void doHealthCheck(Health.Builder builder) {
        if (server.isStopping()) {
            builder.down().withDetail("state", "STOPPING");
            return;
        }
        if (!server.isRunning()) {
            builder.down().withDetail("state", "STARTING");
            return;
        }
        if (ready) {
            builder.up().withDetail("state", "READY");
            return;
        }
        if (registeredAt == null) {
            registeredAt = clock.instant();
        }
        MetadataImage image = metadata.image();
        List<TopicPartition> behind = partitionsCatchingUp(
                server.brokerId(),
                image.topics(),
                image.partitionStates(),
                image.brokers().keySet());
        if (behind.isEmpty()) {
            ready = true;
            LOG.info("Broker {} is ready: in the ISR of every partition it follows", server.brokerId());
            builder.up().withDetail("state", "READY");
            return;
        }
        Duration waited = Duration.between(registeredAt, clock.instant());
        if (waited.compareTo(catchUpTimeout) >= 0) {
            ready = true;
            LOG.warn(
                    "Broker {} reports ready after waiting {} for {} partitions to catch up (still behind: {})",
                    server.brokerId(),
                    catchUpTimeout,
                    behind.size(),
                    behind.subList(0, Math.min(10, behind.size())));
            builder.up().withDetail("state", "READY").withDetail("catchUpTimedOut", behind.size());
            return;
        }
        builder.down()
                .withDetail("state", "CATCHING_UP")
                .withDetail("partitionsCatchingUp", behind.size())
                .withDetail(
                        "examples",
                        behind.subList(0, Math.min(5, behind.size())).toString());
    }

    /**
     * The partitions {@code brokerId} follows, whose leader is live, that do not have it in their
     * ISR yet: what readiness waits for.
     */
    static List<TopicPartition> partitionsCatchingUp(
            int brokerId,
            Map<String, TopicAssignment> topics,
            Map<TopicPartition, PartitionState> states,
            Set<Integer> liveBrokers) {
        List<TopicPartition> behind = new ArrayList<>();
        for (TopicAssignment topic : topics.values()) {
            for (int partition : topic.partitions()) {
                if (!topic.replicas(partition).contains(brokerId)) {
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic.name(), partition);
                PartitionState state = states.get(tp);
                if (state == null
                        || !state.hasLeader()
                        || state.leader() == brokerId
                        || !liveBrokers.contains(state.leader())) {
                    continue;
                }
                if (!state.isr().contains(brokerId)) {
                    behind.add(tp);
                }
            }
        }
        return behind;
    }
}
