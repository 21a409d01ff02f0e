package io.brook.broker.log;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * File names inside a partition directory. A segment with base offset {@code B} is {@code
 * B.log}, {@code B.index} and {@code B.timeindex}, with {@code B} zero-padded to 20 digits so
 * that names sort as offsets do. Suffixes mark files in transition:
 *
 * <ul>
 *   <li>{@code .deleted}: removed from the log, deleted after {@code file.delete.delay.ms} so
 *       that reads in flight finish; deleted at once on recovery;
 *   <li>{@code .cleaned}: written by the cleaner, not yet part of the log; see {@link
 *       SegmentSwap} for when recovery keeps or drops them.
 * </ul>
 */
final class LogFiles {

    static final String LOG = ".log";
    static final String INDEX = ".index";
    static final String TIME_INDEX = ".timeindex";
    static final String DELETED = ".deleted";
    static final String CLEANED = ".cleaned";

    private LogFiles() {}

    static String prefix(long offset) {
        return String.format("%020d", offset);
    }

    static File logFile(File dir, long baseOffset, String suffix) {
        return new File(dir, prefix(baseOffset) + LOG + suffix);
    }

    static File offsetIndexFile(File dir, long baseOffset, String suffix) {
        return new File(dir, prefix(baseOffset) + INDEX + suffix);
    }

    static File timeIndexFile(File dir, long baseOffset, String suffix) {
        return new File(dir, prefix(baseOffset) + TIME_INDEX + suffix);
    }

    /**
     * Fsyncs a directory, so that files created, renamed or deleted in it survive a crash; a
     * rename alone is atomic but not durable until its directory is synced.
     */
    static void fsyncDir(File dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.toPath(), StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** The base offset a segment file is named after. */
    static long baseOffsetOf(File file) {
        String name = file.getName();
        return Long.parseLong(name.substring(0, name.indexOf('.')));
    }

    /**
     * The directory name of a partition, as Kafka names it: {@code topic-partition}. Topic names
     * hold only {@code [a-zA-Z0-9._-]}, so the last dash separates the partition.
     */
    static String partitionDirName(String topic, int partition) {
        return topic + "-" + partition;
    }
}
