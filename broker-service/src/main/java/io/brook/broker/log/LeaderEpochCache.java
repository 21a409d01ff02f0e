package io.brook.broker.log;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The first offset written under each partition leader epoch (KIP-101, KIP-279): a follower or a
 * consumer asks the leader where an epoch ended to find where its own log diverged.
 *
 * <p>Kept in memory and in the text file {@code leader-epoch-checkpoint} of the partition
 * directory, in Kafka's format: a version line {@code 0}, a line with the number of entries, then
 * one {@code epoch startOffset} line per entry, oldest first. The file is replaced atomically
 * (temporary file, fsync, rename, directory fsync) whenever the entries change.
 *
 * <p>Invariant: epochs and start offsets both strictly increase. Threading: every method is
 * synchronized; changes are rare (a new epoch, a truncation, a move of the log start).
 */
final class LeaderEpochCache {

    static final String FILE_NAME = "leader-epoch-checkpoint";
    private static final int VERSION = 0;

    /** One epoch and the first offset written under it. */
    record EpochEntry(int epoch, long startOffset) {}

    private final File dir;
    private final List<EpochEntry> entries = new ArrayList<>();

    private LeaderEpochCache(File dir, List<EpochEntry> entries) {
        this.dir = dir;
        this.entries.addAll(entries);
    }

    /** An empty cache for {@code dir}; nothing is written until it changes. */
    static LeaderEpochCache empty(File dir) {
        return new LeaderEpochCache(dir, List.of());
    }

    /**
     * The cache checkpointed in {@code dir}, or empty when there is no file or it cannot be read
     * (wrong version, wrong count, malformed lines, entries out of order): the caller then
     * rebuilds it from the log.
     */
    static Optional<LeaderEpochCache> read(File dir) {
        File file = new File(dir, FILE_NAME);
        if (!file.exists()) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file.toPath(), StandardCharsets.UTF_8);
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                return Optional.empty();
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (count < 0 || lines.size() - 2 != count) {
                return Optional.empty();
            }
            List<EpochEntry> read = new ArrayList<>();
            for (String line : lines.subList(2, lines.size())) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length != 2) {
                    return Optional.empty();
                }
                EpochEntry entry = new EpochEntry(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
                EpochEntry last = read.isEmpty() ? null : read.get(read.size() - 1);
                if (entry.epoch() < 0
                        || entry.startOffset() < 0
                        || (last != null
                                && (entry.epoch() <= last.epoch() || entry.startOffset() <= last.startOffset()))) {
                    return Optional.empty();
                }
                read.add(entry);
            }
            return Optional.of(new LeaderEpochCache(dir, read));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    synchronized List<EpochEntry> entries() {
        return List.copyOf(entries);
    }

    synchronized Optional<Integer> latestEpoch() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(last().epoch());
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset}, if {@code epoch} is above the latest
     * one (negative epochs, from batches never stamped by a leader, are ignored). Entries starting
     * at or after {@code startOffset} are dropped first, so that offsets keep increasing. Returns
     * whether the cache changed; the caller then calls {@link #write}.
     */
    synchronized boolean assign(int epoch, long startOffset) {
        if (epoch < 0 || (!entries.isEmpty() && epoch <= last().epoch())) {
            return false;
        }
        entries.removeIf(e -> e.startOffset() >= startOffset);
        entries.add(new EpochEntry(epoch, startOffset));
        return true;
    }

    /**
     * Removes the entries of epochs that start at or after {@code endOffset}: the log was cut there.
     * Returns whether the cache changed.
     */
    synchronized boolean truncateFromEnd(long endOffset) {
        return entries.removeIf(e -> e.startOffset() >= endOffset);
    }

    /**
     * The log now starts at {@code startOffset}: entries starting at or below it collapse into one,
     * the latest of them, which is moved to start at {@code startOffset}. Returns whether the cache
     * changed.
     */
    synchronized boolean truncateFromStart(long startOffset) {
        EpochEntry lastBefore = null;
        int removed = 0;
        while (!entries.isEmpty() && entries.get(0).startOffset() <= startOffset) {
            lastBefore = entries.remove(0);
            removed++;
        }
        if (lastBefore == null) {
            return false;
        }
        entries.add(0, new EpochEntry(lastBefore.epoch(), startOffset));
        return removed > 1 || lastBefore.startOffset() != startOffset;
    }

    /** Drops every entry. Returns whether the cache changed. */
    synchronized boolean clear() {
        boolean changed = !entries.isEmpty();
        entries.clear();
        return changed;
    }

    /**
     * Where {@code requestedEpoch} ended, as Kafka answers OffsetForLeaderEpoch: the largest epoch
     * at or below it and the start offset of the next higher epoch, or {@code logEndOffset} when
     * it is the latest epoch. An epoch below the first known one gets itself and the first entry's
     * start offset (older epochs were removed with the log start); an epoch above the latest, an
     * undefined epoch or an empty cache get {@link EpochEndOffset#UNDEFINED}.
     */
    synchronized EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (requestedEpoch == EpochEndOffset.UNDEFINED_EPOCH || entries.isEmpty()) {
            return EpochEndOffset.UNDEFINED;
        }
        if (last().epoch() == requestedEpoch) {
            return new EpochEndOffset(requestedEpoch, logEndOffset);
        }
        EpochEntry floor = null;
        for (EpochEntry entry : entries) {
            if (entry.epoch() > requestedEpoch) {
                return floor == null
                        ? new EpochEndOffset(requestedEpoch, entry.startOffset())
                        : new EpochEndOffset(floor.epoch(), entry.startOffset());
            }
            floor = entry;
        }
        return EpochEndOffset.UNDEFINED;
    }

    /** Replaces the checkpoint file with the current entries. */
    synchronized void write() throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(VERSION).append('\n').append(entries.size()).append('\n');
        for (EpochEntry entry : entries) {
            text.append(entry.epoch()).append(' ').append(entry.startOffset()).append('\n');
        }
        File tmp = new File(dir, FILE_NAME + ".tmp");
        try (FileChannel channel = FileChannel.open(
                tmp.toPath(),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(tmp.toPath(), new File(dir, FILE_NAME).toPath(), StandardCopyOption.ATOMIC_MOVE);
        LogFiles.fsyncDir(dir);
    }

    private EpochEntry last() {
        return entries.get(entries.size() - 1);
    }
}
