package io.brook.gateway.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Partition and broker sizes on disk, from the brokers' DescribeLogDirs (what {@code
 * kafka-log-dirs} shows): one Admin {@code describeCluster} and one {@code describeLogDirs} over
 * every live broker per call; nothing cached.
 *
 * <p>What the numbers mean: a partition's size is the bytes of one copy, its largest replica
 * (normally the leader's, which has every record its followers have); a topic's is the sum over
 * its partitions; a broker's is the bytes of every replica it holds. A broker that does not
 * answer leaves its replicas out; a cluster that does not answer DescribeLogDirs at all (an old
 * broker, a denied gateway) gives no sizes (empty), and callers leave {@code size_bytes} out.
 *
 * <p>Threading: thread-safe; calls do not block.
 */
public final class LogDirSizes {

    private static final Logger LOG = LoggerFactory.getLogger(LogDirSizes.class);

    /** Sizes at one moment. */
    public record Sizes(Map<TopicPartition, Long> partitionBytes, Map<Integer, Long> brokerBytes) {

        /** One copy of the topic's partitions; null if no replica of it was reported. */
        public Long topicBytes(String topic) {
            long total = 0;
            boolean found = false;
            for (Map.Entry<TopicPartition, Long> e : partitionBytes.entrySet()) {
                if (e.getKey().topic().equals(topic)) {
                    total += e.getValue();
                    found = true;
                }
            }
            return found ? total : null;
        }
    }

    private final KafkaClients clients;

    public LogDirSizes(KafkaClients clients) {
        this.clients = clients;
    }

    /** The current sizes; empty when the brokers do not answer DescribeLogDirs. */
    public Mono<Optional<Sizes>> sizes() {
        return KafkaFutures.mono(clients.admin().describeCluster().nodes())
                .flatMap(nodes -> KafkaFutures.mono(
                        clients.admin().describeLogDirs(ids(nodes)).allDescriptions()))
                .map(byBroker -> Optional.of(sizes(byBroker)))
                .onErrorResume(e -> {
                    LOG.debug("DescribeLogDirs failed; sizes left out", e);
                    return Mono.just(Optional.empty());
                });
    }

    static Sizes sizes(Map<Integer, Map<String, LogDirDescription>> byBroker) {
        Map<TopicPartition, Long> partitions = new HashMap<>();
        Map<Integer, Long> brokers = new HashMap<>();
        byBroker.forEach((broker, dirs) -> {
            long total = 0;
            for (LogDirDescription dir : dirs.values()) {
                if (dir.error() != null) {
                    continue;
                }
                for (var replica : dir.replicaInfos().entrySet()) {
                    if (replica.getValue().isFuture()) {
                        continue;
                    }
                    long size = replica.getValue().size();
                    total += size;
                    partitions.merge(replica.getKey(), size, Math::max);
                }
            }
            brokers.put(broker, total);
        });
        return new Sizes(Map.copyOf(partitions), Map.copyOf(brokers));
    }

    private static List<Integer> ids(Collection<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }
}
