package io.brook.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetIndexTest {

    @TempDir
    Path tmp;

    File file() {
        return tmp.resolve("00000000000000000100.index").toFile();
    }

    @Test
    void lookupFindsTheLargestEntryAtOrBelowTheTarget() throws IOException {
        try (OffsetIndex index = new OffsetIndex(file(), 100, 1024)) {
            index.append(110, 0);
            index.append(120, 500);
            index.append(130, 900);

            assertThat(index.lookup(99)).isEqualTo(new OffsetIndex.Entry(100, 0));
            assertThat(index.lookup(109)).isEqualTo(new OffsetIndex.Entry(100, 0));
            assertThat(index.lookup(110)).isEqualTo(new OffsetIndex.Entry(110, 0));
            assertThat(index.lookup(125)).isEqualTo(new OffsetIndex.Entry(120, 500));
            assertThat(index.lookup(1_000)).isEqualTo(new OffsetIndex.Entry(130, 900));
        }
    }

    @Test
    void refusesOffsetsThatDoNotIncreaseOrDoNotFit() throws IOException {
        try (OffsetIndex index = new OffsetIndex(file(), 100, 1024)) {
            index.append(110, 0);
            assertThatThrownBy(() -> index.append(110, 10)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> index.append(100L + Integer.MAX_VALUE + 1, 10))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void isFullAtItsPreallocatedSize() throws IOException {
        try (OffsetIndex index = new OffsetIndex(file(), 0, 3 * OffsetIndex.ENTRY_SIZE + 5)) {
            index.append(1, 0);
            index.append(2, 10);
            assertThat(index.isFull()).isFalse();
            index.append(3, 20);
            assertThat(index.isFull()).isTrue();
            assertThatThrownBy(() -> index.append(4, 30)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void truncationRemovesEntriesAtAndAboveTheOffset() throws IOException {
        try (OffsetIndex index = new OffsetIndex(file(), 100, 1024)) {
            index.append(110, 0);
            index.append(120, 500);
            index.append(130, 900);
            index.truncateTo(120);
            assertThat(index.entries()).isEqualTo(1);
            assertThat(index.lookup(1_000)).isEqualTo(new OffsetIndex.Entry(110, 0));
            index.append(115, 300);
            assertThat(index.lookup(1_000)).isEqualTo(new OffsetIndex.Entry(115, 300));
        }
    }

    @Test
    void closeTrimsTheFileAndReopenReadsTheSameEntries() throws IOException {
        try (OffsetIndex index = new OffsetIndex(file(), 100, 1024)) {
            index.append(110, 0);
            index.append(120, 500);
        }
        assertThat(file().length()).isEqualTo(2 * OffsetIndex.ENTRY_SIZE);
        try (OffsetIndex index = new OffsetIndex(file(), 100, 1024)) {
            assertThat(index.entries()).isEqualTo(2);
            assertThat(index.isSane()).isTrue();
            assertThat(index.lookup(125)).isEqualTo(new OffsetIndex.Entry(120, 500));
        }
    }

    @Test
    void anUntrimmedIndexLeftByACrashIsNotSane() throws IOException {
        OffsetIndex index = new OffsetIndex(file(), 100, 1024);
        index.append(110, 0);
        index.append(120, 500);
        index.flush();
        // A crash: no trim, the pre-allocated zeros stay after the two entries.
        try (OffsetIndex reopened = new OffsetIndex(file(), 100, 1024)) {
            assertThat(reopened.entries()).isEqualTo(1024 / OffsetIndex.ENTRY_SIZE);
            assertThat(reopened.isSane()).isFalse();
        }
        index.deleteIfExists();
    }

    @Test
    void aFileOfPartialEntriesIsNotSane() throws IOException {
        try (OffsetIndex index = new OffsetIndex(file(), 100, 1024)) {
            index.append(110, 0);
        }
        try (RandomAccessFile raf = new RandomAccessFile(file(), "rw")) {
            raf.setLength(OffsetIndex.ENTRY_SIZE + 3);
        }
        OffsetIndex index = new OffsetIndex(file(), 100, 1024);
        assertThat(index.isSane()).isFalse();
        index.deleteIfExists();
    }

    @Test
    void aClosedIndexFailsLookupsWithAStorageError() throws IOException {
        OffsetIndex index = new OffsetIndex(file(), 100, 1024);
        index.append(110, 0);
        index.close();
        assertThatThrownBy(() -> index.lookup(110))
                .isInstanceOf(org.apache.kafka.common.errors.KafkaStorageException.class);
    }
}
