package io.brook.broker.log;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;

/**
 * The per-partition log settings, under the topic-config names Kafka uses, parsed and validated by
 * kafka-clients' {@link ConfigDef} so that a bad value fails with Kafka's own {@link
 * ConfigException} message. Immutable; a topic-config change builds a new one.
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        int segmentIndexBytes,
        int indexIntervalBytes,
        long flushMessages,
        long flushMs,
        long retentionMs,
        long retentionBytes,
        boolean compact,
        boolean delete,
        long deleteRetentionMs,
        long minCompactionLagMs,
        double minCleanableDirtyRatio,
        int maxMessageBytes,
        long fileDeleteDelayMs,
        TimestampType timestampType,
        int minInSyncReplicas) {

    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MIN_IN_SYNC_REPLICAS = "min.insync.replicas";

    public static final String COMPACT = "compact";
    public static final String DELETE = "delete";

    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    /** Kafka's defaults; documentation strings are short, the Kafka docs have the long form. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    SEGMENT_BYTES,
                    Type.INT,
                    1024 * 1024 * 1024,
                    atLeast(DefaultRecordBatch.RECORD_BATCH_OVERHEAD),
                    MEDIUM,
                    "Segment file size; the log rolls a new segment beyond it.")
            .define(SEGMENT_MS, Type.LONG, 7 * DAY_MS, atLeast(1), MEDIUM, "Roll a segment at least this often.")
            .define(
                    SEGMENT_INDEX_BYTES,
                    Type.INT,
                    10 * 1024 * 1024,
                    atLeast(TimeIndex.ENTRY_SIZE),
                    MEDIUM,
                    "Pre-allocated size of each offset and time index.")
            .define(
                    INDEX_INTERVAL_BYTES,
                    Type.INT,
                    4096,
                    atLeast(0),
                    MEDIUM,
                    "Bytes of batches between two offset-index entries.")
            .define(
                    FLUSH_MESSAGES,
                    Type.LONG,
                    Long.MAX_VALUE,
                    atLeast(1),
                    MEDIUM,
                    "Fsync after this many records; by default the OS decides, as replication gives durability.")
            .define(FLUSH_MS, Type.LONG, Long.MAX_VALUE, atLeast(0), MEDIUM, "Fsync at least this often.")
            .define(
                    RETENTION_MS,
                    Type.LONG,
                    7 * DAY_MS,
                    atLeast(-1),
                    HIGH,
                    "Delete segments whose newest record is older than this; -1 keeps them forever.")
            .define(
                    RETENTION_BYTES,
                    Type.LONG,
                    -1L,
                    MEDIUM,
                    "Delete the oldest segments while the log is larger than this; -1 for no limit.")
            .define(
                    CLEANUP_POLICY,
                    Type.LIST,
                    DELETE,
                    ConfigDef.ValidList.in(false, COMPACT, DELETE),
                    HIGH,
                    "delete (retention), compact (keep the latest record per key), or both.")
            .define(DELETE_RETENTION_MS, Type.LONG, DAY_MS, atLeast(0), MEDIUM, "How long compaction keeps tombstones.")
            .define(
                    MIN_COMPACTION_LAG_MS,
                    Type.LONG,
                    0L,
                    atLeast(0),
                    MEDIUM,
                    "Records younger than this are not compacted.")
            .define(
                    MIN_CLEANABLE_DIRTY_RATIO,
                    Type.DOUBLE,
                    0.5,
                    between(0, 1),
                    MEDIUM,
                    "Compact once this share of the log is uncompacted.")
            .define(
                    MAX_MESSAGE_BYTES,
                    Type.INT,
                    1024 * 1024 + DefaultRecordBatch.RECORD_BATCH_OVERHEAD + 12,
                    atLeast(0),
                    MEDIUM,
                    "Largest record batch accepted.")
            .define(
                    FILE_DELETE_DELAY_MS,
                    Type.LONG,
                    60_000L,
                    atLeast(0),
                    LOW,
                    "Grace time before a deleted segment's files go, for reads still in flight.")
            .define(
                    MESSAGE_TIMESTAMP_TYPE,
                    Type.STRING,
                    "CreateTime",
                    ConfigDef.ValidString.in("CreateTime", "LogAppendTime"),
                    MEDIUM,
                    "CreateTime keeps the producer's timestamps; LogAppendTime sets the broker's.")
            .define(
                    MIN_IN_SYNC_REPLICAS,
                    Type.INT,
                    1,
                    atLeast(1),
                    HIGH,
                    "Fewest in-sync replicas with which an acks=all produce is accepted (NOT_ENOUGH_REPLICAS below).");

    /** All defaults. */
    public static final LogConfig DEFAULT = of(Map.of());

    public LogConfig {
        if (!compact && !delete) {
            throw new ConfigException(CLEANUP_POLICY, "", "at least one of compact and delete");
        }
    }

    /** Parses and validates settings given by Kafka name; unknown names are ignored. */
    public static LogConfig of(Map<String, ?> settings) {
        Map<String, Object> known = new HashMap<>();
        settings.forEach((k, v) -> {
            if (CONFIG_DEF.names().contains(k)) {
                known.put(k, v);
            }
        });
        Map<String, Object> v = CONFIG_DEF.parse(known);
        @SuppressWarnings("unchecked")
        List<String> policy = (List<String>) v.get(CLEANUP_POLICY);
        return new LogConfig(
                (Integer) v.get(SEGMENT_BYTES),
                (Long) v.get(SEGMENT_MS),
                (Integer) v.get(SEGMENT_INDEX_BYTES),
                (Integer) v.get(INDEX_INTERVAL_BYTES),
                (Long) v.get(FLUSH_MESSAGES),
                (Long) v.get(FLUSH_MS),
                (Long) v.get(RETENTION_MS),
                (Long) v.get(RETENTION_BYTES),
                policy.contains(COMPACT),
                policy.contains(DELETE),
                (Long) v.get(DELETE_RETENTION_MS),
                (Long) v.get(MIN_COMPACTION_LAG_MS),
                (Double) v.get(MIN_CLEANABLE_DIRTY_RATIO),
                (Integer) v.get(MAX_MESSAGE_BYTES),
                (Long) v.get(FILE_DELETE_DELAY_MS),
                TimestampType.forName((String) v.get(MESSAGE_TIMESTAMP_TYPE)),
                (Integer) v.get(MIN_IN_SYNC_REPLICAS));
    }

    /** This config with some settings replaced, by Kafka name. */
    public LogConfig with(Map<String, ?> overrides) {
        Map<String, Object> all = new HashMap<>(toMap());
        all.putAll(overrides);
        return of(all);
    }

    /** The settings by Kafka name, as {@link #of} reads them. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new HashMap<>();
        m.put(SEGMENT_BYTES, segmentBytes);
        m.put(SEGMENT_MS, segmentMs);
        m.put(SEGMENT_INDEX_BYTES, segmentIndexBytes);
        m.put(INDEX_INTERVAL_BYTES, indexIntervalBytes);
        m.put(FLUSH_MESSAGES, flushMessages);
        m.put(FLUSH_MS, flushMs);
        m.put(RETENTION_MS, retentionMs);
        m.put(RETENTION_BYTES, retentionBytes);
        m.put(CLEANUP_POLICY, compact && delete ? "compact,delete" : compact ? COMPACT : DELETE);
        m.put(DELETE_RETENTION_MS, deleteRetentionMs);
        m.put(MIN_COMPACTION_LAG_MS, minCompactionLagMs);
        m.put(MIN_CLEANABLE_DIRTY_RATIO, minCleanableDirtyRatio);
        m.put(MAX_MESSAGE_BYTES, maxMessageBytes);
        m.put(FILE_DELETE_DELAY_MS, fileDeleteDelayMs);
        m.put(MESSAGE_TIMESTAMP_TYPE, timestampType.name);
        m.put(MIN_IN_SYNC_REPLICAS, minInSyncReplicas);
        return m;
    }
}
