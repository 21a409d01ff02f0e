package io.brook.broker.protocol.handlers.fetch;

import io.brook.broker.protocol.TopicIds;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's incremental fetch sessions (KIP-227), bounded by Kafka's {@code
 * max.incremental.fetch.session.cache.slots}, and the rules that turn a fetch request's session id
 * and epoch into a {@link FetchContext} (Kafka's {@code FetchManager.newContext}).
 *
 * <p>Eviction, when the cache is full and a full fetch would open a session (Kafka's {@code
 * tryEvict}):
 *
 * <ol>
 *   <li>the least recently used session, if idle for more than {@code evictionMs} (Kafka's fixed 2
 *       minutes), goes;
 *   <li>else the least valuable evictable session goes if the new one is worth more: a follower's
 *       session outranks a consumer's, then more partitions outrank fewer. A session younger than
 *       {@code evictionMs} can only be evicted by a follower's session, and only if it is a
 *       consumer's: a new session gets time to prove itself, so that a crowd of short-lived clients
 *       cannot churn the cache;
 *   <li>else no session is created: the client is answered with session id 0 and keeps sending full
 *       requests, which is always correct.
 * </ol>
 *
 * <p>The search for a victim scans the sessions (at most the slot count, 1000 by default) and runs
 * only when the cache is full and a new session is wanted, so it costs microseconds where Kafka
 * keeps two sorted indexes up to date on every fetch.
 *
 * <p>Threading: thread-safe; every method holds this object's monitor. A session's own state is
 * guarded by the session's monitor, taken after this one and never before it.
 */
public final class FetchSessionCache {

    private static final Logger LOG = LoggerFactory.getLogger(FetchSessionCache.class);

    /** Kafka's max.incremental.fetch.session.cache.slots default. */
    public static final int DEFAULT_SLOTS = 1000;

    /** Kafka's fetch session eviction time (not configurable there either): 2 minutes. */
    public static final long DEFAULT_EVICTION_MS = 120_000;

    /** Counters for tests and operators. */
    public record Stats(int sessions, long partitions, long created, long evicted, long incrementalFetches) {}

    private final int slots;
    private final long evictionMs;
    private final Clock clock;
    private final Random random;

    private final Map<Integer, FetchSession> sessions = new HashMap<>();
    private long partitions;
    private long created;
    private long evicted;
    private long incrementalFetches;

    /**
     * @param slots most sessions kept; 0 disables sessions (every fetch is answered sessionless)
     * @param evictionMs idle time after which a session may be evicted by any new one
     */
    public FetchSessionCache(int slots, long evictionMs, Clock clock, Random random) {
        if (slots < 0) {
            throw new IllegalArgumentException("slots must be >= 0: " + slots);
        }
        this.slots = slots;
        this.evictionMs = evictionMs;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Interprets a request's session id and epoch (see the table of {@link FetchContext}).
     *
     * @param usesTopicIds whether the request names topics by id (Fetch v13+)
     * @param follower whether a follower broker sent it (replica id &gt;= 0)
     * @param requested the partitions the request lists: all of them for a full request, the
     *     added and changed ones for an incremental one
     * @param forgotten the partitions an incremental request drops from its session
     * @param topicIds names the session's partitions now, for id-keyed sessions
     */
    public FetchContext newContext(
            FetchMetadata metadata,
            boolean usesTopicIds,
            boolean follower,
            List<PartitionFetch> requested,
            List<PartitionKey> forgotten,
            TopicIds topicIds) {
        if (metadata.isFull()) {
            if (metadata.sessionId() != FetchMetadata.INVALID_SESSION_ID) {
                // A full request naming a session closes it (the client starts over or leaves).
                remove(metadata.sessionId());
            }
            if (metadata.epoch() == FetchMetadata.FINAL_EPOCH) {
                return new FetchContext.Sessionless(requested);
            }
            return new FetchContext.Full(this, requested, usesTopicIds, follower);
        }
        FetchSession session;
        synchronized (this) {
            session = sessions.get(metadata.sessionId());
            if (session == null) {
                return new FetchContext.SessionError(Errors.FETCH_SESSION_ID_NOT_FOUND);
            }
            synchronized (session) {
                if (session.epoch() != metadata.epoch()) {
                    return new FetchContext.SessionError(Errors.INVALID_FETCH_SESSION_EPOCH);
                }
                if (session.usesTopicIds() != usesTopicIds) {
                    return new FetchContext.SessionError(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
                }
                session.update(requested, forgotten);
                if (session.size() == 0) {
                    // Everything forgotten: the session has nothing left to track.
                    removeLocked(session);
                    return new FetchContext.Sessionless(requested);
                }
                touch(session, clock.millis());
                session.nextEpoch();
                incrementalFetches++;
            }
        }
        return new FetchContext.Incremental(
                session, metadata.epoch(), session.toFetch(partition -> resolve(partition, topicIds)));
    }

    /**
     * An id-keyed partition as it can be read now: its topic id may no longer name a topic
     * (deleted: UNKNOWN_TOPIC_ID), or the name it had may now belong to another id (deleted and
     * created again: INCONSISTENT_TOPIC_ID, which Kafka answers when a partition's log has another
     * topic id than the one fetched). Either way the client refreshes its metadata and starts a
     * new session.
     */
    private static PartitionFetch resolve(CachedPartition partition, TopicIds topicIds) {
        if (!partition.key.usesTopicId()) {
            return partition.toFetch(Errors.NONE);
        }
        Optional<String> name = topicIds.nameOf(partition.key.topicId());
        if (name.isPresent()) {
            partition.name = name.get();
            return partition.toFetch(Errors.NONE);
        }
        boolean recreated =
                partition.name != null && topicIds.idOf(partition.name).isPresent();
        return partition.toFetch(recreated ? Errors.INCONSISTENT_TOPIC_ID : Errors.UNKNOWN_TOPIC_ID);
    }

    /**
     * Opens a session over the partitions of a full fetch, remembering what the response tells
     * the client, if there is room or a session worth less to evict.
     *
     * @return the new session's id, or {@link FetchMetadata#INVALID_SESSION_ID} when none
     */
    int maybeCreate(
            boolean privileged,
            boolean usesTopicIds,
            List<PartitionFetch> requested,
            Map<PartitionKey, FetchResponseData.PartitionData> sent) {
        if (requested.isEmpty()) {
            // Nothing to track; Kafka would cache an empty session that the next request closes.
            return FetchMetadata.INVALID_SESSION_ID;
        }
        LinkedHashMap<PartitionKey, CachedPartition> cached = new LinkedHashMap<>();
        for (PartitionFetch p : requested) {
            CachedPartition partition = new CachedPartition(p);
            FetchResponseData.PartitionData response = sent.get(p.key());
            if (response != null) {
                partition.mustRespond(response, true);
            }
            cached.put(p.key(), partition);
        }
        long now = clock.millis();
        synchronized (this) {
            if (slots == 0 || (sessions.size() >= slots && !tryEvict(privileged, cached.size(), now))) {
                return FetchMetadata.INVALID_SESSION_ID;
            }
            int id = newSessionId();
            FetchSession session = new FetchSession(id, privileged, usesTopicIds, now, cached);
            sessions.put(id, session);
            partitions += session.cachedSize;
            created++;
            LOG.debug("Created {}", session);
            return id;
        }
    }

    /** A random positive id not in use: ids are not guessable from one another. */
    private int newSessionId() {
        int id;
        do {
            id = 1 + random.nextInt(Integer.MAX_VALUE - 1);
        } while (sessions.containsKey(id));
        return id;
    }

    private boolean tryEvict(boolean privileged, int size, long now) {
        FetchSession stalest = null;
        FetchSession victim = null;
        for (FetchSession s : sessions.values()) {
            if (stalest == null
                    || s.lastUsedMs < stalest.lastUsedMs
                    || (s.lastUsedMs == stalest.lastUsedMs && s.id() < stalest.id())) {
                stalest = s;
            }
            boolean old = now - s.creationMs() > evictionMs;
            boolean evictable = old || (privileged && !s.privileged());
            if (evictable && (victim == null || lessValuable(s, victim))) {
                victim = s;
            }
        }
        if (stalest != null && now - stalest.lastUsedMs > evictionMs) {
            evict(stalest, "idle for " + (now - stalest.lastUsedMs) + " ms");
            return true;
        }
        if (victim != null
                && (privileged && !victim.privileged()
                        || privileged == victim.privileged() && size > victim.cachedSize)) {
            evict(victim, "for a session of " + size + " partitions, privileged=" + privileged);
            return true;
        }
        return false;
    }

    private static boolean lessValuable(FetchSession a, FetchSession b) {
        if (a.privileged() != b.privileged()) {
            return !a.privileged();
        }
        if (a.cachedSize != b.cachedSize) {
            return a.cachedSize < b.cachedSize;
        }
        return a.id() < b.id();
    }

    private void evict(FetchSession session, String why) {
        LOG.debug("Evicting {}: {}", session, why);
        removeLocked(session);
        evicted++;
    }

    /** Marks a session used now and refreshes its size. */
    private void touch(FetchSession session, long now) {
        session.lastUsedMs = now;
        partitions -= session.cachedSize;
        session.cachedSize = session.size();
        partitions += session.cachedSize;
    }

    public synchronized Optional<FetchSession> get(int sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    /** Closes a session; whether it existed. */
    public synchronized boolean remove(int sessionId) {
        FetchSession session = sessions.get(sessionId);
        if (session == null) {
            return false;
        }
        removeLocked(session);
        return true;
    }

    private void removeLocked(FetchSession session) {
        if (sessions.remove(session.id()) != null) {
            partitions -= session.cachedSize;
        }
    }

    public synchronized int size() {
        return sessions.size();
    }

    public synchronized Stats stats() {
        return new Stats(sessions.size(), partitions, created, evicted, incrementalFetches);
    }
}
