package io.brook.broker.protocol.handlers.fetch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * An incremental fetch session (KIP-227): the partitions one client fetches from this broker, so
 * that its requests list only what changed and the broker's answers only what is new.
 *
 * <p>The session epoch is the sequence number of the next request the broker will accept:
 *
 * <table>
 *   <caption>Session epoch</caption>
 *   <tr><th>Event</th><th>Epoch after</th></tr>
 *   <tr><td>created by a full request (epoch 0)</td><td>1</td></tr>
 *   <tr><td>incremental request at the session's epoch E</td><td>E + 1 (after 2^31-1: 1)</td></tr>
 *   <tr><td>incremental request at another epoch</td><td>unchanged; INVALID_FETCH_SESSION_EPOCH</td></tr>
 *   <tr><td>full request naming it, or its last partition forgotten, or evicted</td><td>gone</td></tr>
 * </table>
 *
 * <p>The partitions keep an order: new ones go last, and a partition that returns records moves
 * last, so that when the response's byte limit runs out the partitions after it are served first
 * next time (Kafka's rule, so that one busy partition cannot starve the others).
 *
 * <p>Threading: the partitions and the epoch are guarded by this object's monitor; a client has
 * one fetch per session in flight, so the lock is uncontended. {@code lastUsedMs} and {@code
 * cachedSize} belong to the {@link FetchSessionCache} and are guarded by its lock. Lock order:
 * cache, then session, never the reverse.
 */
public final class FetchSession {

    private final int id;
    private final boolean privileged;
    private final boolean usesTopicIds;
    private final long creationMs;

    // guarded by the cache
    long lastUsedMs;
    int cachedSize;

    // guarded by this
    private int epoch;
    private final LinkedHashMap<PartitionKey, CachedPartition> partitions;

    FetchSession(
            int id,
            boolean privileged,
            boolean usesTopicIds,
            long creationMs,
            LinkedHashMap<PartitionKey, CachedPartition> partitions) {
        this.id = id;
        this.privileged = privileged;
        this.usesTopicIds = usesTopicIds;
        this.creationMs = creationMs;
        this.lastUsedMs = creationMs;
        this.partitions = partitions;
        this.cachedSize = partitions.size();
        this.epoch = FetchMetadata.nextEpoch(FetchMetadata.INITIAL_EPOCH);
    }

    public int id() {
        return id;
    }

    /** Created by a follower: outranks consumers' sessions in eviction. */
    public boolean privileged() {
        return privileged;
    }

    public boolean usesTopicIds() {
        return usesTopicIds;
    }

    public long creationMs() {
        return creationMs;
    }

    public synchronized int epoch() {
        return epoch;
    }

    synchronized void nextEpoch() {
        epoch = FetchMetadata.nextEpoch(epoch);
    }

    public synchronized int size() {
        return partitions.size();
    }

    public synchronized List<PartitionKey> partitionKeys() {
        return List.copyOf(partitions.keySet());
    }

    /** Applies an incremental request: adds or updates what it lists, drops what it forgets. */
    synchronized void update(Collection<PartitionFetch> changed, Collection<PartitionKey> forgotten) {
        for (PartitionFetch p : changed) {
            CachedPartition cached = partitions.get(p.key());
            if (cached == null) {
                partitions.put(p.key(), new CachedPartition(p));
            } else {
                cached.updateRequest(p);
            }
        }
        for (PartitionKey key : forgotten) {
            partitions.remove(key);
        }
    }

    /**
     * The partitions to read, in session order; {@code resolve} names each one now (an id-keyed
     * partition's topic may have been deleted or re-created since).
     */
    synchronized List<PartitionFetch> toFetch(Function<CachedPartition, PartitionFetch> resolve) {
        List<PartitionFetch> out = new ArrayList<>(partitions.size());
        for (CachedPartition p : partitions.values()) {
            out.add(resolve.apply(p));
        }
        return out;
    }

    /**
     * Keeps in {@code responses} only the partitions the client must hear about, remembering
     * what it is told, and moves those that returned records to the end of the session.
     */
    synchronized void filterIncremental(Map<PartitionKey, FetchResponseData.PartitionData> responses) {
        List<CachedPartition> moveLast = new ArrayList<>();
        responses.entrySet().removeIf(e -> {
            CachedPartition cached = partitions.get(e.getKey());
            if (cached == null || !cached.mustRespond(e.getValue(), true)) {
                return true;
            }
            if (FetchResponse.recordsSize(e.getValue()) > 0) {
                moveLast.add(cached);
            }
            return false;
        });
        for (CachedPartition p : moveLast) {
            partitions.remove(p.key);
            partitions.put(p.key, p);
        }
    }

    @Override
    public String toString() {
        return "FetchSession(id=" + id + ", privileged=" + privileged + ", size=" + cachedSize + ")";
    }
}
