package io.brook.broker.protocol.handlers.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.broker.log.MutableClock;
import io.brook.broker.protocol.TopicIds;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.Test;

/** Fetch session rules (KIP-227) and the session cache's bounds and eviction, on a hand-moved clock. */
class FetchSessionCacheTest {

    final MutableClock clock = new MutableClock(1_000_000);
    final Map<Uuid, String> names = new HashMap<>();
    final TopicIds topicIds = new TopicIds() {
        @Override
        public Optional<Uuid> idOf(String topic) {
            return names.entrySet().stream()
                    .filter(e -> e.getValue().equals(topic))
                    .map(Map.Entry::getKey)
                    .findFirst();
        }

        @Override
        public Optional<String> nameOf(Uuid topicId) {
            return Optional.ofNullable(names.get(topicId));
        }
    };

    FetchSessionCache cache(int slots) {
        return new FetchSessionCache(slots, FetchSessionCache.DEFAULT_EVICTION_MS, clock, new Random(42));
    }

    static PartitionFetch byName(String topic, int partition, long offset) {
        return new PartitionFetch(
                PartitionKey.byName(topic, partition), topic, Errors.NONE, offset, -1, 1 << 20, Optional.empty());
    }

    PartitionFetch byId(Uuid id, int partition, long offset) {
        String name = names.get(id);
        return new PartitionFetch(
                PartitionKey.byId(id, partition),
                name,
                name == null ? Errors.UNKNOWN_TOPIC_ID : Errors.NONE,
                offset,
                -1,
                1 << 20,
                Optional.empty());
    }

    static FetchResponseData.PartitionData data(int partition, long highWatermark, boolean records) {
        return new FetchResponseData.PartitionData()
                .setPartitionIndex(partition)
                .setHighWatermark(highWatermark)
                .setLastStableOffset(highWatermark)
                .setLogStartOffset(0)
                .setRecords(
                        records
                                ? MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()))
                                : MemoryRecords.EMPTY);
    }

    /** Reads what the context asks with the given high watermark for all, records for some. */
    static FetchContext.Reply answer(FetchContext context, long highWatermark, int... withRecords) {
        LinkedHashMap<PartitionKey, FetchResponseData.PartitionData> read = new LinkedHashMap<>();
        for (PartitionFetch p : context.partitions()) {
            boolean records = false;
            for (int r : withRecords) {
                records |= r == p.key().partition();
            }
            read.put(
                    p.key(),
                    p.error() == Errors.NONE
                            ? data(p.key().partition(), highWatermark, records)
                            : FetchResponse.partitionResponse(p.key().partition(), p.error()));
        }
        return context.reply(read);
    }

    FetchContext full(FetchSessionCache cache, List<PartitionFetch> partitions) {
        return cache.newContext(FetchMetadata.INITIAL, false, false, partitions, List.of(), topicIds);
    }

    FetchContext incremental(
            FetchSessionCache cache, int id, int epoch, List<PartitionFetch> changed, List<PartitionKey> forgotten) {
        return cache.newContext(new FetchMetadata(id, epoch), false, false, changed, forgotten, topicIds);
    }

    static List<PartitionFetch> partitions(String topic, int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(p -> byName(topic, p, 0))
                .toList();
    }

    static List<Integer> indexes(FetchContext.Reply reply) {
        return reply.partitions().keySet().stream().map(PartitionKey::partition).toList();
    }

    @Test
    void aFullFetchAtEpochZeroOpensASessionAndAnswersEverything() {
        FetchSessionCache cache = cache(10);
        FetchContext.Reply reply = answer(full(cache, partitions("t", 3)), 5);
        assertThat(reply.error()).isEqualTo(Errors.NONE);
        assertThat(reply.sessionId()).isPositive();
        assertThat(indexes(reply)).containsExactly(0, 1, 2);
        FetchSession session = cache.get(reply.sessionId()).orElseThrow();
        assertThat(session.epoch()).isEqualTo(1);
        assertThat(session.size()).isEqualTo(3);
        assertThat(cache.stats().partitions()).isEqualTo(3);
    }

    @Test
    void finalEpochIsSessionlessAndClosesTheSessionItNames() {
        FetchSessionCache cache = cache(10);
        int id = answer(full(cache, partitions("t", 2)), 5).sessionId();

        FetchContext context = cache.newContext(
                new FetchMetadata(id, FetchMetadata.FINAL_EPOCH),
                false,
                false,
                partitions("t", 2),
                List.of(),
                topicIds);
        FetchContext.Reply reply = answer(context, 5);
        assertThat(reply.sessionId()).isZero();
        assertThat(indexes(reply)).containsExactly(0, 1);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aFullFetchNamingASessionClosesItAndOpensAnother() {
        FetchSessionCache cache = cache(10);
        int first = answer(full(cache, partitions("t", 2)), 5).sessionId();
        int second = answer(
                        cache.newContext(
                                new FetchMetadata(first, 0), false, false, partitions("t", 2), List.of(), topicIds),
                        5)
                .sessionId();
        assertThat(second).isPositive().isNotEqualTo(first);
        assertThat(cache.get(first)).isEmpty();
        assertThat(cache.size()).isOne();
    }

    @Test
    void anIncrementalFetchReadsTheWholeSessionButAnswersOnlyWhatChanged() {
        FetchSessionCache cache = cache(10);
        int id = answer(full(cache, partitions("t", 4)), 5).sessionId();

        // The client moved partition 1 to offset 5 and says nothing of the others.
        FetchContext context = incremental(cache, id, 1, List.of(byName("t", 1, 5)), List.of());
        assertThat(context.partitions()).extracting(PartitionFetch::fetchOffset).containsExactly(0L, 5L, 0L, 0L);
        // Partition 2 got records; nothing else changed.
        FetchContext.Reply reply = answer(context, 5, 2);
        assertThat(reply.sessionId()).isEqualTo(id);
        assertThat(indexes(reply)).containsExactly(2);

        // A new high watermark everywhere: everyone hears of it, once.
        FetchContext.Reply moved = answer(incremental(cache, id, 2, List.of(), List.of()), 6);
        assertThat(indexes(moved)).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(indexes(answer(incremental(cache, id, 3, List.of(), List.of()), 6)))
                .isEmpty();
        assertThat(cache.stats().incrementalFetches()).isEqualTo(3);
    }

    @Test
    void aPartitionThatReturnedRecordsMovesToTheEndOfTheSession() {
        FetchSessionCache cache = cache(10);
        int id = answer(full(cache, partitions("t", 3)), 5, 0).sessionId();
        // The full response's records do not reorder; an incremental one's do.
        answer(incremental(cache, id, 1, List.of(), List.of()), 5, 0);
        assertThat(cache.get(id).orElseThrow().partitionKeys())
                .extracting(PartitionKey::partition)
                .containsExactly(1, 2, 0);
    }

    @Test
    void forgottenPartitionsLeaveTheSessionAndAddedOnesJoinIt() {
        FetchSessionCache cache = cache(10);
        int id = answer(full(cache, partitions("t", 3)), 5).sessionId();

        FetchContext context =
                incremental(cache, id, 1, List.of(byName("u", 0, 7)), List.of(PartitionKey.byName("t", 1)));
        assertThat(context.partitions())
                .extracting(PartitionFetch::key)
                .containsExactly(PartitionKey.byName("t", 0), PartitionKey.byName("t", 2), PartitionKey.byName("u", 0));
        // The new partition is news to the client: it is answered.
        assertThat(answer(context, 5).partitions()).containsOnlyKeys(PartitionKey.byName("u", 0));
        assertThat(cache.stats().partitions()).isEqualTo(3);
    }

    @Test
    void forgettingEveryPartitionClosesTheSession() {
        FetchSessionCache cache = cache(10);
        int id = answer(full(cache, partitions("t", 1)), 5).sessionId();
        FetchContext context = incremental(cache, id, 1, List.of(), List.of(PartitionKey.byName("t", 0)));
        assertThat(context).isInstanceOf(FetchContext.Sessionless.class);
        assertThat(answer(context, 5).sessionId()).isZero();
        assertThat(cache.size()).isZero();
        assertThat(cache.stats().partitions()).isZero();
    }

    @Test
    void sessionErrors() {
        FetchSessionCache cache = cache(10);
        int id = answer(full(cache, partitions("t", 1)), 5).sessionId();

        assertThat(answer(incremental(cache, id + 1, 1, List.of(), List.of()), 5))
                .isEqualTo(new FetchContext.Reply(Errors.FETCH_SESSION_ID_NOT_FOUND, 0, new LinkedHashMap<>()));
        assertThat(answer(incremental(cache, id, 7, List.of(), List.of()), 5).error())
                .isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        // A session opened by name cannot continue by topic id.
        assertThat(answer(cache.newContext(new FetchMetadata(id, 1), true, false, List.of(), List.of(), topicIds), 5)
                        .error())
                .isEqualTo(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
        // None of these moved the epoch.
        assertThat(answer(incremental(cache, id, 1, List.of(), List.of()), 5).error())
                .isEqualTo(Errors.NONE);
    }

    @Test
    void aReplyOvertakenByALaterRequestOfTheSameSessionIsRefused() {
        FetchSessionCache cache = cache(10);
        int id = answer(full(cache, partitions("t", 1)), 5).sessionId();
        FetchContext slow = incremental(cache, id, 1, List.of(), List.of());
        FetchContext fast = incremental(cache, id, 2, List.of(), List.of());
        assertThat(answer(fast, 6).error()).isEqualTo(Errors.NONE);
        assertThat(answer(slow, 6))
                .isEqualTo(new FetchContext.Reply(Errors.INVALID_FETCH_SESSION_EPOCH, id, new LinkedHashMap<>()));
    }

    @Test
    void errorsAreAlwaysAnsweredAndThePartitionIsAnsweredAgainOnceTheyClear() {
        FetchSessionCache cache = cache(10);
        int id = answer(full(cache, partitions("t", 2)), 5).sessionId();
        FetchContext context = incremental(cache, id, 1, List.of(), List.of());
        LinkedHashMap<PartitionKey, FetchResponseData.PartitionData> read = new LinkedHashMap<>();
        read.put(PartitionKey.byName("t", 0), FetchResponse.partitionResponse(0, Errors.NOT_LEADER_OR_FOLLOWER));
        read.put(PartitionKey.byName("t", 1), data(1, 5, false));
        assertThat(context.reply(read).partitions()).containsOnlyKeys(PartitionKey.byName("t", 0));
        // Same high watermark as before the error, yet the client must hear the partition is back.
        assertThat(indexes(answer(incremental(cache, id, 2, List.of(), List.of()), 5)))
                .containsExactly(0);
    }

    @Test
    void topicIdsThatNoLongerNameTheTopicAreUnknownOrInconsistent() {
        FetchSessionCache cache = cache(10);
        Uuid gone = Uuid.randomUuid();
        Uuid recreated = Uuid.randomUuid();
        names.put(gone, "gone");
        names.put(recreated, "again");
        FetchContext first = cache.newContext(
                FetchMetadata.INITIAL,
                true,
                false,
                List.of(byId(gone, 0, 0), byId(recreated, 0, 0)),
                List.of(),
                topicIds);
        int id = answer(first, 5).sessionId();

        names.remove(gone);
        names.remove(recreated);
        names.put(Uuid.randomUuid(), "again");
        FetchContext context = cache.newContext(new FetchMetadata(id, 1), true, false, List.of(), List.of(), topicIds);
        assertThat(context.partitions())
                .extracting(PartitionFetch::error)
                .containsExactly(Errors.UNKNOWN_TOPIC_ID, Errors.INCONSISTENT_TOPIC_ID);
        FetchContext.Reply reply = answer(context, 5);
        assertThat(reply.partitions().values())
                .extracting(FetchResponseData.PartitionData::errorCode)
                .containsExactly(Errors.UNKNOWN_TOPIC_ID.code(), Errors.INCONSISTENT_TOPIC_ID.code());
    }

    @Test
    void aFullCacheOpensNoSessionUntilOneIsIdleForTwoMinutes() {
        FetchSessionCache cache = cache(2);
        int a = answer(full(cache, partitions("a", 1)), 5).sessionId();
        int b = answer(full(cache, partitions("b", 1)), 5).sessionId();
        assertThat(answer(full(cache, partitions("c", 1)), 5).sessionId()).isZero();

        clock.advance(60_000);
        answer(incremental(cache, b, 1, List.of(), List.of()), 5);
        clock.advance(60_001);
        // a has been idle for just over two minutes; b for one.
        int c = answer(full(cache, partitions("c", 1)), 5).sessionId();
        assertThat(c).isPositive();
        assertThat(cache.get(a)).isEmpty();
        assertThat(cache.get(b)).isPresent();
        assertThat(cache.stats().evicted()).isOne();
    }

    @Test
    void aBiggerSessionEvictsASmallerOneOnlyOnceThatIsTwoMinutesOld() {
        FetchSessionCache cache = cache(2);
        int small = answer(full(cache, partitions("small", 1)), 5).sessionId();
        int medium = answer(full(cache, partitions("medium", 3)), 5).sessionId();
        assertThat(answer(full(cache, partitions("big", 5)), 5).sessionId()).isZero();

        // Both old, both in use.
        clock.advance(150_000);
        answer(incremental(cache, small, 1, List.of(), List.of()), 5);
        answer(incremental(cache, medium, 1, List.of(), List.of()), 5);
        // Not bigger than the smallest: nothing to gain.
        assertThat(answer(full(cache, partitions("tiny", 1)), 5).sessionId()).isZero();
        int big = answer(full(cache, partitions("big", 5)), 5).sessionId();
        assertThat(big).isPositive();
        assertThat(cache.get(small)).isEmpty();
        assertThat(cache.get(medium)).isPresent();
    }

    @Test
    void aFollowerEvictsAConsumersNewSessionButNotTheOtherWayRound() {
        FetchSessionCache cache = cache(1);
        int consumer = answer(full(cache, partitions("c", 10)), 5).sessionId();
        int follower = answer(
                        cache.newContext(FetchMetadata.INITIAL, false, true, partitions("f", 1), List.of(), topicIds),
                        5)
                .sessionId();
        assertThat(follower).isPositive();
        assertThat(cache.get(consumer)).isEmpty();
        assertThat(cache.get(follower).orElseThrow().privileged()).isTrue();

        clock.advance(150_000);
        answer(incremental(cache, follower, 1, List.of(), List.of()), 5);
        assertThat(answer(full(cache, partitions("c", 100)), 5).sessionId()).isZero();
    }

    @Test
    void zeroSlotsMeansNoSessions() {
        FetchSessionCache cache = cache(0);
        assertThat(answer(full(cache, partitions("t", 3)), 5).sessionId()).isZero();
        assertThat(cache.size()).isZero();
    }

    @Test
    void sessionIdsArePositiveAndDistinct() {
        FetchSessionCache cache = cache(500);
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        for (int i = 0; i < 500; i++) {
            ids.add(answer(full(cache, partitions("t", 1)), 5).sessionId());
        }
        assertThat(ids).hasSize(500).allMatch(id -> id > 0);
    }
}
