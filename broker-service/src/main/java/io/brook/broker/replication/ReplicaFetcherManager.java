package io.brook.broker.replication;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.network.ChannelBuilder;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.network.PlaintextChannelBuilder;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower side of this broker: one {@link ReplicaFetcherThread} per leader endpoint and
 * fetcher id (Kafka's {@code ReplicaFetcherManager}; a partition goes to fetcher {@code
 * hash(topic, partition) % num.replica.fetchers}). Threads start with their first partition and
 * stop when their last one leaves.
 *
 * <p>Threading: thread-safe; called on the metadata thread when roles change and at shutdown.
 */
public final class ReplicaFetcherManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcherManager.class);

    /**
     * The fetchers' settings, by Kafka's names.
     *
     * @param brokerId this broker, the replica id of every fetch
     * @param numFetchers {@code num.replica.fetchers}
     * @param fetchMaxBytes {@code replica.fetch.max.bytes}, per partition
     * @param fetchResponseMaxBytes {@code replica.fetch.response.max.bytes}, per response
     * @param fetchWaitMaxMs {@code replica.fetch.wait.max.ms}
     * @param fetchMinBytes {@code replica.fetch.min.bytes}
     * @param fetchBackoffMs {@code replica.fetch.backoff.ms}, after an error
     * @param socketTimeoutMs {@code replica.socket.timeout.ms}
     */
    public record Settings(
            int brokerId,
            int numFetchers,
            int fetchMaxBytes,
            int fetchResponseMaxBytes,
            int fetchWaitMaxMs,
            int fetchMinBytes,
            long fetchBackoffMs,
            int socketTimeoutMs) {}

    private record FetcherKey(Node leader, int fetcherId) {}

    private final Settings settings;
    private final Supplier<ChannelBuilder> channels;
    private final Map<FetcherKey, ReplicaFetcherThread> fetchers = new HashMap<>();
    private boolean closed;

    /** Fetchers over plaintext connections. */
    public ReplicaFetcherManager(Settings settings) {
        this(settings, () -> {
            PlaintextChannelBuilder plaintext =
                    new PlaintextChannelBuilder(ListenerName.forSecurityProtocol(SecurityProtocol.PLAINTEXT));
            plaintext.configure(Map.of());
            return plaintext;
        });
    }

    /**
     * @param channels makes a configured channel builder for each leader connection, with the
     *     inter-broker listener's security (TLS, SASL credentials)
     */
    public ReplicaFetcherManager(Settings settings, Supplier<ChannelBuilder> channels) {
        this.settings = settings;
        this.channels = channels;
    }

    /** Starts fetching {@code partition} (at its current leader epoch) from {@code leader}. */
    public synchronized void addPartition(Partition partition, Uuid topicId, Node leader) {
        if (closed) {
            return;
        }
        TopicPartition tp = partition.topicPartition();
        int fetcherId = Math.floorMod(31 * tp.topic().hashCode() + tp.partition(), settings.numFetchers());
        FetcherKey key = new FetcherKey(leader, fetcherId);
        ReplicaFetcherThread thread = fetchers.computeIfAbsent(key, k -> {
            String name = "ReplicaFetcherThread-" + fetcherId + "-" + leader.id();
            ReplicaFetcherThread t = new ReplicaFetcherThread(
                    name,
                    settings,
                    new LeaderEndpoint(
                            leader,
                            "broker-" + settings.brokerId() + "-fetcher-" + fetcherId,
                            settings.socketTimeoutMs(),
                            settings.fetchBackoffMs(),
                            channels.get()));
            t.start();
            return t;
        });
        thread.addPartition(partition, topicId);
    }

    /** Stops fetching {@code tp}, waiting for a log change in progress; stops idle threads. */
    public synchronized void removePartition(TopicPartition tp) {
        Iterator<Map.Entry<FetcherKey, ReplicaFetcherThread>> it =
                fetchers.entrySet().iterator();
        while (it.hasNext()) {
            ReplicaFetcherThread thread = it.next().getValue();
            if (thread.removePartition(tp) && thread.partitionCount() == 0) {
                it.remove();
                thread.shutdown();
            }
        }
    }

    /** Whether {@code tp} is being fetched from {@code leader}. */
    public synchronized boolean isFetching(TopicPartition tp, Node leader) {
        return fetchers.entrySet().stream()
                .anyMatch(
                        e -> e.getKey().leader().equals(leader) && e.getValue().hasPartition(tp));
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (ReplicaFetcherThread thread : fetchers.values()) {
            thread.shutdown();
        }
        fetchers.clear();
        LOG.info("Replica fetchers stopped");
    }
}
