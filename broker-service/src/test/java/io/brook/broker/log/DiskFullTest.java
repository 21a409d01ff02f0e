package io.brook.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: a small tmpfs mounted for the test. Mounting needs root (CI runs as root);
 * elsewhere the test is skipped.
 */
class DiskFullTest {

    @TempDir
    Path tmp;

    File mount;
    boolean mounted;

    @BeforeEach
    void mountSmallFilesystem() throws Exception {
        mount = tmp.resolve("small").toFile();
        Files.createDirectories(mount.toPath());
        mounted = run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.getPath()) == 0;
        assumeTrue(mounted, "mounting a tmpfs needs root");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", "-l", mount.getPath());
        }
    }

    static int run(String... command) throws Exception {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void aFullDiskFailsTheAppendAndLeavesTheLogConsistentAndReadable() throws IOException {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        LogDirFailureHandler failures = new LogDirFailureHandler();
        File dir = new File(mount, "full-0");
        // Small indexes so that the pre-allocated index files do not take the space.
        LogConfig config = LogConfig.of(Map.of(LogConfig.SEGMENT_INDEX_BYTES, 4096));
        try (PartitionLog log = PartitionLog.open(dir, config, new MutableClock(0), scheduler, failures)) {
            long written = 0;
            KafkaStorageException error = null;
            while (error == null && written < 10_000) {
                try {
                    log.appendAsLeader(Batches.sized(written, 4, 1000), 0);
                    written += 4;
                } catch (KafkaStorageException e) {
                    error = e;
                }
            }
            assertThat(error).as("the disk filled up").isNotNull();
            assertThat(failures.failedDirs()).containsExactly(dir);
            assertThat(log.logEndOffset()).isEqualTo(written);
            assertThat(log.isOffline()).isFalse();
            List<Batches.Rec> records = Batches.readAll(log, 0, FetchIsolation.LOG_END);
            assertThat(records).hasSize((int) written);
            long sizeOnDisk = new File(dir, LogFiles.prefix(0) + LogFiles.LOG).length();
            assertThat(sizeOnDisk).as("the partial write was cut off").isEqualTo(log.size());

            // Free space and append again: the log goes on where it was.
            // At a batch boundary (batches of 4): a batch straddling the point would go whole.
            long cut = written / 2 / 4 * 4;
            log.truncateTo(cut);
            assertThat(log.appendAsLeader(Batches.sized(0, 1, 10), 0).firstOffset())
                    .isEqualTo(cut);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
