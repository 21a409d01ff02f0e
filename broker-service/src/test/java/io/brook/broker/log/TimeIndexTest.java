package io.brook.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeIndexTest {

    @TempDir
    Path tmp;

    File file() {
        return tmp.resolve("00000000000000000050.timeindex").toFile();
    }

    @Test
    void lookupBelowFindsTheLastEntryWithAnOlderTimestamp() throws IOException {
        try (TimeIndex index = new TimeIndex(file(), 50, 1200)) {
            index.maybeAppend(1_000, 55);
            index.maybeAppend(2_000, 60);
            index.maybeAppend(3_000, 70);

            assertThat(index.lookupBelow(1_000)).isEqualTo(new TimeIndex.Entry(-1, 50));
            assertThat(index.lookupBelow(1_001)).isEqualTo(new TimeIndex.Entry(1_000, 55));
            assertThat(index.lookupBelow(2_500)).isEqualTo(new TimeIndex.Entry(2_000, 60));
            assertThat(index.lookupBelow(10_000)).isEqualTo(new TimeIndex.Entry(3_000, 70));
        }
    }

    @Test
    void onlyGrowingTimestampsAreIndexed() throws IOException {
        try (TimeIndex index = new TimeIndex(file(), 50, 1200)) {
            index.maybeAppend(2_000, 55);
            index.maybeAppend(1_500, 56);
            index.maybeAppend(2_000, 57);
            assertThat(index.entries()).isEqualTo(1);
            assertThat(index.lastEntry()).isEqualTo(new TimeIndex.Entry(2_000, 55));
        }
    }

    @Test
    void truncationRemovesEntriesPointingAtOrPastTheOffset() throws IOException {
        try (TimeIndex index = new TimeIndex(file(), 50, 1200)) {
            index.maybeAppend(1_000, 55);
            index.maybeAppend(2_000, 60);
            index.maybeAppend(3_000, 70);
            index.truncateTo(60);
            assertThat(index.entries()).isEqualTo(1);
            assertThat(index.lastEntry()).isEqualTo(new TimeIndex.Entry(1_000, 55));
        }
    }
}
