package io.brook.broker.log;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every partition log of a broker across its data directories: opens (and so recovers) them
 * at start, creates and deletes them, and runs the background work that Kafka's log manager runs:
 * retention every {@code retentionCheckIntervalMs}, the {@code flush.ms} policy every {@code
 * flushCheckIntervalMs}, the {@link PartitionCheckpoint}s every {@code checkpointIntervalMs}, and compaction of {@code cleanup.policy=compact} logs by its {@link
 * LogCleaner}, to which every log is registered (the cleaner skips logs whose policy, which may
 * change at run time, does not include {@code compact}).
 *
 * <p>Each data directory is locked ({@code .lock}, an OS file lock) so that two brokers can never
 * open the same one. A partition lives in {@code <data dir>/<topic>-<partition>}; a deleted one is
 * first renamed to {@code <topic>-<partition>.<millis>-delete} and removed in the background, so a
 * crash mid-delete never resurrects it.
 *
 * <p>Threading: thread-safe. Creation and deletion of one partition are serialised per manager;
 * the logs themselves follow {@link PartitionLog}'s contract.
 */
public final class LogManager implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    private static final String LOCK_FILE = ".lock";
    private static final String DELETE_SUFFIX = "-delete";

    /**
     * Intervals of the background tasks (Kafka's defaults: retention checks every 300 s, offset
     * checkpoints every 60 s) and the cleaner's sizing: the most distinct keys one compaction pass
     * maps, and its pause when idle.
     */
    public record Settings(
            long retentionCheckIntervalMs,
            long flushCheckIntervalMs,
            long checkpointIntervalMs,
            int cleanerOffsetMapCapacity,
            long cleanerBackoffMs) {
        public static final Settings DEFAULT = new Settings(
                300_000L, 1_000L, 60_000L, LogCleaner.DEFAULT_OFFSET_MAP_CAPACITY, LogCleaner.DEFAULT_BACKOFF_MS);
    }

    private final List<File> dataDirs;
    private final Function<String, LogConfig> configForTopic;
    private final Clock clock;
    private final Settings settings;
    private final LogDirFailureHandler failureHandler;
    private final ScheduledExecutorService scheduler;
    private final LogCleaner cleaner;
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final List<FileLock> locks = new ArrayList<>();
    private final Object createLock = new Object();
    private boolean closed;
    /** Told the duration of every log flush, in nanoseconds (Kafka's {@code LogFlushStats}). */
    private volatile LongConsumer flushTimer = nanos -> {};

    /**
     * @param configForTopic the log settings of a topic (topic overrides over broker defaults);
     *     asked when a partition is opened or created
     */
    public LogManager(
            List<File> dataDirs,
            Function<String, LogConfig> configForTopic,
            Clock clock,
            Settings settings,
            LogDirFailureHandler failureHandler) {
        if (dataDirs.isEmpty()) {
            throw new IllegalArgumentException("at least one data directory is needed");
        }
        this.dataDirs = List.copyOf(dataDirs);
        this.configForTopic = configForTopic;
        this.clock = clock;
        this.settings = settings;
        this.failureHandler = failureHandler;
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "brook-log-scheduler-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        // Delayed segment deletions do not hold up shutdown; their .deleted files are removed
        // when the log is next opened.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.scheduler = executor;
        this.cleaner = new LogCleaner(settings.cleanerOffsetMapCapacity(), settings.cleanerBackoffMs());
    }

    /**
     * Where every log flush (fsync) reports its duration, in nanoseconds, from now on, for the
     * logs open and to come (metrics).
     */
    public void setFlushTimer(LongConsumer timer) {
        this.flushTimer = timer;
    }

    private PartitionLog timed(PartitionLog log) {
        log.setFlushTimer(nanos -> flushTimer.accept(nanos));
        return log;
    }

    /** Locks the data directories, opens every partition log in them, and starts the tasks. */
    public void startup() throws IOException {
        for (File dir : dataDirs) {
            Files.createDirectories(dir.toPath());
            FileChannel channel = FileChannel.open(
                    new File(dir, LOCK_FILE).toPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this same process
            }
            if (lock == null) {
                channel.close();
                throw new IOException("data directory " + dir + " is in use by another broker");
            }
            locks.add(lock);
            loadDir(dir);
        }
        logs.values().forEach(cleaner::register);
        cleaner.start();
        scheduler.scheduleWithFixedDelay(
                this::applyRetention,
                settings.retentionCheckIntervalMs(),
                settings.retentionCheckIntervalMs(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                this::checkpointLogs,
                settings.checkpointIntervalMs(),
                settings.checkpointIntervalMs(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                this::flushDueLogs,
                settings.flushCheckIntervalMs(),
                settings.flushCheckIntervalMs(),
                TimeUnit.MILLISECONDS);
    }

    private void loadDir(File dir) throws IOException {
        File[] children = dir.listFiles(File::isDirectory);
        for (File child : children == null ? new File[0] : children) {
            if (child.getName().endsWith(DELETE_SUFFIX)) {
                deleteRecursively(child);
                continue;
            }
            Optional<TopicPartition> tp = parse(child.getName());
            if (tp.isEmpty()) {
                LOG.warn("Ignoring {}: not a partition directory", child);
                continue;
            }
            if (logs.containsKey(tp.get())) {
                throw new IOException("partition " + tp.get() + " is in two data directories");
            }
            logs.put(
                    tp.get(),
                    timed(PartitionLog.open(
                            child, configForTopic.apply(tp.get().topic()), clock, scheduler, failureHandler)));
        }
    }

    /** {@code topic-partition}, split at the last dash; empty for any other name. */
    static Optional<TopicPartition> parse(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return Optional.empty();
        }
        try {
            int partition = Integer.parseInt(name.substring(dash + 1));
            return partition < 0
                    ? Optional.empty()
                    : Optional.of(new TopicPartition(name.substring(0, dash), partition));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The data directories (Kafka's log.dirs), in configuration order. */
    public List<File> dataDirs() {
        return dataDirs;
    }

    public Optional<PartitionLog> getLog(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    public Map<TopicPartition, PartitionLog> allLogs() {
        return Map.copyOf(logs);
    }

    /**
     * The log of {@code tp}, created in the data directory with the fewest partitions if it does
     * not exist yet.
     */
    public PartitionLog getOrCreateLog(TopicPartition tp) {
        PartitionLog existing = logs.get(tp);
        if (existing != null) {
            return existing;
        }
        synchronized (createLock) {
            existing = logs.get(tp);
            if (existing != null) {
                return existing;
            }
            File dataDir = leastLoadedDir();
            File dir = new File(dataDir, LogFiles.partitionDirName(tp.topic(), tp.partition()));
            try {
                PartitionLog log = timed(
                        PartitionLog.open(dir, configForTopic.apply(tp.topic()), clock, scheduler, failureHandler));
                logs.put(tp, log);
                cleaner.register(log);
                return log;
            } catch (IOException e) {
                failureHandler.handle(dataDir, "creating " + tp + " failed", e);
                throw new KafkaStorageException("creating the log of " + tp + " failed: " + e.getMessage(), e);
            }
        }
    }

    private File leastLoadedDir() {
        Map<File, Integer> counts = new java.util.HashMap<>();
        dataDirs.forEach(d -> counts.put(d, 0));
        for (PartitionLog log : logs.values()) {
            counts.computeIfPresent(log.dir().getParentFile(), (d, n) -> n + 1);
        }
        return dataDirs.stream()
                .filter(d -> !failureHandler.failedDirs().contains(d))
                .min(Comparator.comparing(counts::get))
                .orElseThrow(() -> new KafkaStorageException("every data directory has failed"));
    }

    /** Removes the log of {@code tp} and its files. Returns whether there was one. */
    public boolean deleteLog(TopicPartition tp) {
        synchronized (createLock) {
            PartitionLog log = logs.remove(tp);
            if (log == null) {
                return false;
            }
            cleaner.unregister(log);
            try {
                log.close();
                File renamed =
                        new File(log.dir().getParentFile(), log.dir().getName() + "." + clock.millis() + DELETE_SUFFIX);
                Files.move(log.dir().toPath(), renamed.toPath());
                scheduler.execute(() -> deleteRecursively(renamed));
            } catch (IOException e) {
                failureHandler.handle(log.dir(), "deleting " + tp + " failed", e);
                throw new KafkaStorageException("deleting the log of " + tp + " failed: " + e.getMessage(), e);
            }
            return true;
        }
    }

    /** Applies the topic configs again, after a config change. */
    public void reloadConfigs() {
        logs.forEach((tp, log) -> log.updateConfig(configForTopic.apply(tp.topic())));
        logs.values().forEach(cleaner::register);
    }

    public LogCleaner cleaner() {
        return cleaner;
    }

    /** One retention pass over every log; also run on a schedule. Returns segments deleted. */
    public int applyRetention() {
        int deleted = 0;
        for (PartitionLog log : logs.values()) {
            try {
                deleted += log.deleteOldSegments();
            } catch (RuntimeException e) {
                LOG.warn("Retention of {} failed: {}", log, e.toString());
            }
        }
        return deleted;
    }

    private void checkpointLogs() {
        for (PartitionLog log : logs.values()) {
            if (!log.isOffline()) {
                log.checkpoint();
            }
        }
    }

    private void flushDueLogs() {
        for (PartitionLog log : logs.values()) {
            if (!log.isOffline()) {
                log.flushIfDue();
            }
        }
    }

    private void deleteRecursively(File dir) {
        try (var paths = Files.walk(dir.toPath())) {
            for (var p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            failureHandler.handle(dir, "removing " + dir + " failed", e);
        }
    }

    /**
     * Stops the tasks and closes every log cleanly, so the next start skips recovery. A second
     * call does nothing (the broker closes the manager in order, and Spring again at shutdown).
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        cleaner.close();
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IOException first = null;
        for (PartitionLog log : logs.values()) {
            try {
                log.close();
            } catch (IOException e) {
                first = first == null ? e : first;
                failureHandler.handle(log.dir(), "closing failed", e);
            }
        }
        logs.clear();
        for (FileLock lock : locks) {
            lock.release();
            lock.channel().close();
        }
        locks.clear();
        if (first != null) {
            throw first;
        }
    }
}
