package io.brook.broker.replication;

import io.brook.broker.log.EpochEndOffset;
import io.brook.broker.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the partitions this broker follows from one leader (Kafka's {@code
 * ReplicaFetcherThread} with its {@code AbstractFetcherThread} loop).
 *
 * <p>Each partition is first TRUNCATING: the thread asks the leader OffsetForLeaderEpoch for the
 * follower's latest epoch and cuts the local log where the two agree ({@link
 * TruncationDecision}); a log without epochs is cut at its high watermark. Then it is FETCHING:
 * Fetch requests carry this broker's replica id and the leader epoch it follows, so that the
 * leader reads to its log end, records the follower's position, and refuses a stale or unknown
 * epoch. Fetched batches are appended with their offsets and epochs, and the follower takes the
 * leader's high watermark and (up to that) its log start offset. A partition that gets an error is left alone for {@code
 * replica.fetch.backoff.ms}; NOT_LEADER_OR_FOLLOWER and FENCED_LEADER_EPOCH then wait for the
 * metadata to move it. OFFSET_OUT_OF_RANGE asks the leader for its log start and end: a log start
 * beyond the follower's end empties the follower's log there.
 *
 * <pre>
 * from         event                                   to
 * ----         -----                                   --
 * (added)      -                                       TRUNCATING(LEO)
 * TRUNCATING   epoch answer, decision done             FETCHING(new LEO)
 * TRUNCATING   epoch answer, decision not done         TRUNCATING (next round)
 * FETCHING     records                                 FETCHING(new LEO)
 * FETCHING     diverging epoch, append refused         TRUNCATING
 * any          error                                   same, delayed by the backoff
 * any          removed (role change)                   (gone)
 * </pre>
 *
 * <p>Threading: one thread. Network calls run without the lock; every change to a log happens
 * under it and only after checking that the partition's fetch state is still the one the request
 * was built from, so that {@link #removePartition} (a role change) waits for a log change in
 * progress and a response that arrives afterwards is dropped.
 */
final class ReplicaFetcherThread extends Thread {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcherThread.class);

    private final ReplicaFetcherManager.Settings settings;
    private final LeaderEndpoint endpoint;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<TopicPartition, FetchState> states = new LinkedHashMap<>();
    private volatile boolean running = true;

    /** One partition's fetch state. Guarded by the lock. */
    private static final class FetchState {
        final Partition partition;
        final Uuid topicId;
        final int leaderEpoch;
        boolean truncating = true;
        long fetchOffset;
        long delayedUntilMs;

        FetchState(Partition partition, Uuid topicId) {
            this.partition = partition;
            this.topicId = topicId;
            this.leaderEpoch = partition.leaderEpoch();
            this.fetchOffset = partition.log().logEndOffset();
        }
    }

    ReplicaFetcherThread(String name, ReplicaFetcherManager.Settings settings, LeaderEndpoint endpoint) {
        super(name);
        setDaemon(true);
        this.settings = settings;
        this.endpoint = endpoint;
    }

    void addPartition(Partition partition, Uuid topicId) {
        lock.lock();
        try {
            states.put(partition.topicPartition(), new FetchState(partition, topicId));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops fetching {@code tp}; waits for a log change in progress. Returns whether it was here. */
    boolean removePartition(TopicPartition tp) {
        lock.lock();
        try {
            return states.remove(tp) != null;
        } finally {
            lock.unlock();
        }
    }

    boolean hasPartition(TopicPartition tp) {
        lock.lock();
        try {
            return states.containsKey(tp);
        } finally {
            lock.unlock();
        }
    }

    int partitionCount() {
        lock.lock();
        try {
            return states.size();
        } finally {
            lock.unlock();
        }
    }

    LeaderEndpoint endpoint() {
        return endpoint;
    }

    /** Stops the thread and closes its connection. */
    void shutdown() {
        running = false;
        endpoint.wakeup();
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endpoint.close();
    }

    @Override
    public void run() {
        LOG.info("{} fetching from {}", getName(), endpoint.leader());
        while (running) {
            try {
                doWork();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("{}: fetch round failed", getName(), e);
                    delayAll(settings.fetchBackoffMs());
                }
            }
        }
        LOG.info("{} stopped", getName());
    }

    private void doWork() throws InterruptedException {
        long now = System.currentTimeMillis();
        Map<TopicPartition, FetchState> toTruncate = new LinkedHashMap<>();
        Map<TopicPartition, FetchState> toFetch = new LinkedHashMap<>();
        long nextWakeMs = now + settings.fetchBackoffMs();
        lock.lock();
        try {
            for (Map.Entry<TopicPartition, FetchState> e : states.entrySet()) {
                FetchState s = e.getValue();
                if (s.delayedUntilMs > now) {
                    nextWakeMs = Math.min(nextWakeMs, s.delayedUntilMs);
                } else if (s.truncating) {
                    toTruncate.put(e.getKey(), s);
                } else {
                    toFetch.put(e.getKey(), s);
                }
            }
            if (toTruncate.isEmpty() && toFetch.isEmpty()) {
                changed.await(Math.max(1, nextWakeMs - now), TimeUnit.MILLISECONDS);
                return;
            }
        } finally {
            lock.unlock();
        }
        if (!toTruncate.isEmpty()) {
            truncate(toTruncate);
        }
        if (!toFetch.isEmpty()) {
            fetch(toFetch);
        }
    }

    // ---- truncation ---------------------------------------------------------------------------

    private void truncate(Map<TopicPartition, FetchState> wanted) {
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection topics =
                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
        Map<TopicPartition, FetchState> asked = new HashMap<>();
        for (Map.Entry<TopicPartition, FetchState> e : wanted.entrySet()) {
            TopicPartition tp = e.getKey();
            FetchState s = e.getValue();
            Optional<Integer> latest = s.partition.log().latestEpoch();
            if (latest.isEmpty()) {
                // No epoch information (KIP-101's fallback): keep only what was committed.
                lock.lock();
                try {
                    if (states.get(tp) == s) {
                        s.partition.truncateTo(s.partition.log().highWatermark());
                        startFetching(tp, s);
                    }
                } finally {
                    lock.unlock();
                }
                continue;
            }
            OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic = topics.find(tp.topic());
            if (topic == null) {
                topic = new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(tp.topic());
                topics.add(topic);
            }
            topic.partitions()
                    .add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                            .setPartition(tp.partition())
                            .setCurrentLeaderEpoch(s.leaderEpoch)
                            .setLeaderEpoch(latest.get()));
            asked.put(tp, s);
        }
        if (asked.isEmpty()) {
            return;
        }
        ClientResponse response;
        try {
            response = endpoint.send(OffsetsForLeaderEpochRequest.Builder.forFollower(topics, settings.brokerId()));
        } catch (IOException e) {
            LOG.info("{}: OffsetForLeaderEpoch to {} failed: {}", getName(), endpoint.leader(), e.toString());
            delay(asked, settings.fetchBackoffMs());
            return;
        }
        OffsetForLeaderEpochResponseData data = ((OffsetsForLeaderEpochResponse) response.responseBody()).data();
        lock.lock();
        try {
            for (OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult topic : data.topics()) {
                for (OffsetForLeaderEpochResponseData.EpochEndOffset p : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.topic(), p.partition());
                    FetchState s = asked.remove(tp);
                    if (s == null || states.get(tp) != s || !s.truncating) {
                        continue;
                    }
                    Errors error = Errors.forCode(p.errorCode());
                    if (error != Errors.NONE) {
                        LOG.info("{}: OffsetForLeaderEpoch of {} answered {}", getName(), tp, error);
                        s.delayedUntilMs = System.currentTimeMillis() + settings.fetchBackoffMs();
                        continue;
                    }
                    PartitionLog log = s.partition.log();
                    TruncationDecision decision = TruncationDecision.decide(
                            new EpochEndOffset(p.leaderEpoch(), p.endOffset()),
                            log.logEndOffset(),
                            log.highWatermark(),
                            log::endOffsetForEpoch);
                    if (decision.truncationOffset() < log.logEndOffset()) {
                        LOG.info(
                                "Truncating {} from {} to {} (leader {} has epoch {} ending at {})",
                                tp,
                                log.logEndOffset(),
                                decision.truncationOffset(),
                                endpoint.leader().id(),
                                p.leaderEpoch(),
                                p.endOffset());
                    }
                    s.partition.truncateTo(decision.truncationOffset());
                    if (decision.completed()) {
                        startFetching(tp, s);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        // Partitions the leader did not answer for: try again later.
        delay(asked, settings.fetchBackoffMs());
    }

    /** Lock held. */
    private void startFetching(TopicPartition tp, FetchState s) {
        s.truncating = false;
        s.fetchOffset = s.partition.log().logEndOffset();
        LOG.debug("{} fetches from {} at {}", tp, endpoint.leader().id(), s.fetchOffset);
    }

    // ---- fetch --------------------------------------------------------------------------------

    private void fetch(Map<TopicPartition, FetchState> wanted) {
        Map<TopicPartition, FetchRequest.PartitionData> data = new LinkedHashMap<>();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        Map<Uuid, String> topicNames = new HashMap<>();
        lock.lock();
        try {
            for (Map.Entry<TopicPartition, FetchState> e : wanted.entrySet()) {
                FetchState s = e.getValue();
                if (states.get(e.getKey()) != s || s.truncating) {
                    continue;
                }
                data.put(
                        e.getKey(),
                        new FetchRequest.PartitionData(
                                s.topicId,
                                s.fetchOffset,
                                s.partition.log().logStartOffset(),
                                settings.fetchMaxBytes(),
                                Optional.of(s.leaderEpoch),
                                Optional.empty()));
                offsets.put(e.getKey(), s.fetchOffset);
                topicNames.put(s.topicId, e.getKey().topic());
            }
        } finally {
            lock.unlock();
        }
        if (data.isEmpty()) {
            return;
        }
        FetchRequest.Builder request = FetchRequest.Builder.forReplica(
                        ApiKeys.FETCH.latestVersion(),
                        settings.brokerId(),
                        -1L,
                        settings.fetchWaitMaxMs(),
                        settings.fetchMinBytes(),
                        data)
                .setMaxBytes(settings.fetchResponseMaxBytes())
                .metadata(FetchMetadata.LEGACY);
        ClientResponse response;
        try {
            response = endpoint.send(request);
        } catch (IOException e) {
            if (running) {
                LOG.info("{}: fetch from {} failed: {}", getName(), endpoint.leader(), e.toString());
                delay(wanted, settings.fetchBackoffMs());
            }
            return;
        }
        FetchResponse fetchResponse = (FetchResponse) response.responseBody();
        if (fetchResponse.error() != Errors.NONE) {
            LOG.info("{}: fetch from {} answered {}", getName(), endpoint.leader(), fetchResponse.error());
            delay(wanted, settings.fetchBackoffMs());
            return;
        }
        Map<TopicPartition, FetchResponseData.PartitionData> answers =
                fetchResponse.responseData(topicNames, response.requestHeader().apiVersion());
        List<TopicPartition> outOfRange = new ArrayList<>();
        lock.lock();
        try {
            for (Map.Entry<TopicPartition, FetchResponseData.PartitionData> e : answers.entrySet()) {
                TopicPartition tp = e.getKey();
                FetchState s = states.get(tp);
                Long requested = offsets.get(tp);
                if (s == null
                        || s != wanted.get(tp)
                        || s.truncating
                        || requested == null
                        || s.fetchOffset != requested) {
                    continue; // the partition moved on while the fetch was out
                }
                if (processPartition(tp, s, e.getValue())) {
                    outOfRange.add(tp);
                }
            }
        } finally {
            lock.unlock();
        }
        for (TopicPartition tp : outOfRange) {
            handleOutOfRange(tp, wanted.get(tp), offsets.get(tp));
        }
    }

    /** Applies one partition's answer. Lock held. Returns whether it was OFFSET_OUT_OF_RANGE. */
    private boolean processPartition(TopicPartition tp, FetchState s, FetchResponseData.PartitionData answer) {
        Errors error = Errors.forCode(answer.errorCode());
        switch (error) {
            case NONE -> {
                if (FetchResponse.isDivergingEpoch(answer)) {
                    s.truncating = true;
                    return false;
                }
                try {
                    MemoryRecords records = completeBatches(FetchResponse.recordsOrFail(answer));
                    if (records.sizeInBytes() > 0) {
                        s.partition.appendAsFollower(records);
                        s.fetchOffset = s.partition.log().logEndOffset();
                    }
                    s.partition.updateFollowerHighWatermark(answer.highWatermark());
                    s.partition.updateFollowerLogStartOffset(answer.logStartOffset());
                } catch (RuntimeException e) {
                    LOG.warn("{}: appending to {} at {} failed; truncating again", getName(), tp, s.fetchOffset, e);
                    s.truncating = true;
                    s.delayedUntilMs = System.currentTimeMillis() + settings.fetchBackoffMs();
                }
                return false;
            }
            case OFFSET_OUT_OF_RANGE -> {
                return true;
            }
            default -> {
                // NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, unknown topic:
                // the metadata has not caught up on one side; wait for it.
                LOG.debug("{}: fetch of {} answered {}", getName(), tp, error);
                s.delayedUntilMs = System.currentTimeMillis() + settings.fetchBackoffMs();
                return false;
            }
        }
    }

    /**
     * The leader refused the fetch offset (Kafka's {@code handleOutOfRangeError}): its log starts
     * beyond this one's end (retention, DeleteRecords), so this log restarts empty at its start;
     * or, after an unclean election, it ends below, so this log is cut to its end.
     */
    private void handleOutOfRange(TopicPartition tp, FetchState s, long fetchOffset) {
        long leaderStart;
        long leaderEnd;
        try {
            leaderStart = leaderOffset(tp, ListOffsetsRequest.EARLIEST_TIMESTAMP, s.leaderEpoch);
            leaderEnd = leaderOffset(tp, ListOffsetsRequest.LATEST_TIMESTAMP, s.leaderEpoch);
        } catch (IOException | RuntimeException e) {
            LOG.info("{}: ListOffsets of {} failed: {}", getName(), tp, e.toString());
            delay(Map.of(tp, s), settings.fetchBackoffMs());
            return;
        }
        lock.lock();
        try {
            if (states.get(tp) != s || s.fetchOffset != fetchOffset) {
                return;
            }
            if (leaderEnd < fetchOffset) {
                LOG.warn("{} at {} is beyond the leader's end {}: truncating", tp, fetchOffset, leaderEnd);
                s.partition.truncateTo(leaderEnd);
            } else if (leaderStart > fetchOffset) {
                LOG.info("{} at {} is below the leader's log start {}: restarting there", tp, fetchOffset, leaderStart);
                s.partition.truncateFullyAndStartAt(leaderStart);
            } else {
                s.delayedUntilMs = System.currentTimeMillis() + settings.fetchBackoffMs();
            }
            s.fetchOffset = s.partition.log().logEndOffset();
        } finally {
            lock.unlock();
        }
    }

    private long leaderOffset(TopicPartition tp, long timestamp, int epoch) throws IOException {
        ListOffsetsRequestData.ListOffsetsTopic topic = new ListOffsetsRequestData.ListOffsetsTopic()
                .setName(tp.topic())
                .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                        .setPartitionIndex(tp.partition())
                        .setCurrentLeaderEpoch(epoch)
                        .setTimestamp(timestamp)));
        ClientResponse response = endpoint.send(
                ListOffsetsRequest.Builder.forReplica(ApiKeys.LIST_OFFSETS.latestVersion(), settings.brokerId())
                        .setTargetTimes(List.of(topic)));
        ListOffsetsResponseData data = ((ListOffsetsResponse) response.responseBody()).data();
        for (ListOffsetsResponseData.ListOffsetsTopicResponse t : data.topics()) {
            for (ListOffsetsResponseData.ListOffsetsPartitionResponse p : t.partitions()) {
                Errors error = Errors.forCode(p.errorCode());
                if (error != Errors.NONE) {
                    throw error.exception();
                }
                return p.offset();
            }
        }
        throw new IOException("no ListOffsets answer for " + tp);
    }

    /**
     * The whole batches of {@code records}: a leader cuts the last batch of a response at the byte
     * limit, and only whole batches are appended.
     */
    static MemoryRecords completeBatches(Records records) {
        MemoryRecords memory = (MemoryRecords) records;
        int whole = 0;
        for (MutableRecordBatch batch : memory.batches()) {
            whole += batch.sizeInBytes();
        }
        if (whole == memory.sizeInBytes()) {
            return memory;
        }
        ByteBuffer buffer = memory.buffer().duplicate();
        buffer.limit(buffer.position() + whole);
        return MemoryRecords.readableRecords(buffer.slice());
    }

    private void delay(Map<TopicPartition, FetchState> which, long ms) {
        long until = System.currentTimeMillis() + ms;
        lock.lock();
        try {
            which.forEach((tp, s) -> {
                if (states.get(tp) == s) {
                    s.delayedUntilMs = until;
                }
            });
        } finally {
            lock.unlock();
        }
    }

    private void delayAll(long ms) {
        long until = System.currentTimeMillis() + ms;
        lock.lock();
        try {
            states.values().forEach(s -> s.delayedUntilMs = until);
        } finally {
            lock.unlock();
        }
    }
}
