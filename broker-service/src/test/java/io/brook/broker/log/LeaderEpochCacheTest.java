package io.brook.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.broker.log.LeaderEpochCache.EpochEntry;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader epoch cache: assignment, end offsets, truncation and its checkpoint file. */
class LeaderEpochCacheTest {

    @TempDir
    Path tmp;

    File dir;
    LeaderEpochCache cache;

    @BeforeEach
    void setUp() {
        dir = tmp.toFile();
        cache = LeaderEpochCache.empty(dir);
    }

    @Test
    void assignAddsOnlyEpochsAboveTheLatest() {
        assertThat(cache.assign(0, 0)).isTrue();
        assertThat(cache.assign(0, 5)).isFalse();
        assertThat(cache.assign(-1, 6)).isFalse();
        assertThat(cache.assign(2, 10)).isTrue();
        assertThat(cache.assign(1, 12)).isFalse();
        assertThat(cache.assign(5, 20)).isTrue();
        assertThat(cache.entries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(2, 10), new EpochEntry(5, 20));
        assertThat(cache.latestEpoch()).contains(5);
    }

    @Test
    void assignDropsEntriesStartingAtOrAfterTheNewStart() {
        cache.assign(0, 0);
        cache.assign(2, 10);
        cache.assign(3, 10);
        assertThat(cache.entries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(3, 10));
    }

    @Test
    void endOffsetForFollowsKafka() {
        cache.assign(2, 10);
        cache.assign(4, 20);
        cache.assign(7, 35);
        // Latest epoch: the log end.
        assertThat(cache.endOffsetFor(7, 50)).isEqualTo(new EpochEndOffset(7, 50));
        // A known epoch in the middle: the start of the next one.
        assertThat(cache.endOffsetFor(4, 50)).isEqualTo(new EpochEndOffset(4, 35));
        assertThat(cache.endOffsetFor(2, 50)).isEqualTo(new EpochEndOffset(2, 20));
        // An unknown epoch between two known ones: the largest below it.
        assertThat(cache.endOffsetFor(5, 50)).isEqualTo(new EpochEndOffset(4, 35));
        assertThat(cache.endOffsetFor(3, 50)).isEqualTo(new EpochEndOffset(2, 20));
        // Below the first: itself and the first start offset, as Kafka.
        assertThat(cache.endOffsetFor(1, 50)).isEqualTo(new EpochEndOffset(1, 10));
        // Above the latest, undefined: undefined.
        assertThat(cache.endOffsetFor(8, 50)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(cache.endOffsetFor(-1, 50)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void anEmptyCacheKnowsNoEpoch() {
        assertThat(cache.latestEpoch()).isEmpty();
        assertThat(cache.endOffsetFor(0, 10)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void truncateFromEndRemovesEpochsStartingAtOrAfterTheOffset() {
        cache.assign(0, 0);
        cache.assign(2, 10);
        cache.assign(5, 20);
        assertThat(cache.truncateFromEnd(25)).isFalse();
        assertThat(cache.truncateFromEnd(20)).isTrue();
        assertThat(cache.entries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(2, 10));
        assertThat(cache.truncateFromEnd(5)).isTrue();
        assertThat(cache.entries()).containsExactly(new EpochEntry(0, 0));
        assertThat(cache.truncateFromEnd(0)).isTrue();
        assertThat(cache.entries()).isEmpty();
    }

    @Test
    void truncateFromStartCollapsesTheEntriesBelowIntoOneStartingThere() {
        cache.assign(0, 0);
        cache.assign(2, 10);
        cache.assign(5, 20);
        assertThat(cache.truncateFromStart(0)).isFalse();
        assertThat(cache.truncateFromStart(15)).isTrue();
        assertThat(cache.entries()).containsExactly(new EpochEntry(2, 15), new EpochEntry(5, 20));
        assertThat(cache.truncateFromStart(20)).isTrue();
        assertThat(cache.entries()).containsExactly(new EpochEntry(5, 20));
        assertThat(cache.truncateFromStart(30)).isTrue();
        assertThat(cache.entries()).containsExactly(new EpochEntry(5, 30));
    }

    @Test
    void theCheckpointRoundTripsInKafkasFormat() throws IOException {
        cache.assign(0, 0);
        cache.assign(2, 10);
        cache.write();
        assertThat(Files.readAllLines(dir.toPath().resolve(LeaderEpochCache.FILE_NAME)))
                .containsExactly("0", "2", "0 0", "2 10");
        assertThat(LeaderEpochCache.read(dir))
                .get()
                .satisfies(read ->
                        assertThat(read.entries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(2, 10)));
        assertThat(dir.list()).containsExactly(LeaderEpochCache.FILE_NAME);
    }

    @Test
    void aMissingOrCorruptCheckpointReadsAsAbsent() throws IOException {
        assertThat(LeaderEpochCache.read(dir)).isEmpty();
        Path file = dir.toPath().resolve(LeaderEpochCache.FILE_NAME);
        for (String text : new String[] {"", "1\n0\n", "0\n2\n0 0\n", "0\n1\nzero 0\n", "0\n2\n3 10\n2 20\n"}) {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            assertThat(LeaderEpochCache.read(dir)).as(text).isEmpty();
        }
    }
}
