package io.brook.broker.group;

import io.brook.broker.group.GroupRecord.GroupMetadata;
import io.brook.broker.group.GroupRecord.GroupSnapshot;
import io.brook.broker.group.GroupRecord.MemberSnapshot;
import io.brook.broker.group.GroupRecord.OffsetCommit;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * The binary format of {@code __consumer_offsets} records. It is byte for byte the format of
 * Kafka's own group coordinator for the records Brook writes (Kafka's generated {@code
 * OffsetCommitKey}/{@code OffsetCommitValue} v3 and {@code GroupMetadataKey}/{@code
 * GroupMetadataValue} v3, checked against bytes those classes produced in {@code
 * GroupRecordSerdeTest}), so Kafka's tools can decode the topic. Brook does not depend on Kafka's
 * {@code kafka-group-coordinator} artifact for this: it pulls in Kafka's storage, metadata and
 * raft modules.
 *
 * <p>All integers are big-endian. {@code string} is an int16 length and UTF-8 bytes ({@code -1}
 * for null where nullable); {@code bytes} is an int32 length and the bytes.
 *
 * <pre>
 * key   = int16 type, then by type:
 *           0, 1  offset commit    string group, string topic, int32 partition   (Brook writes 1)
 *           2     group metadata   string group
 *           3+    Kafka's consumer/share/streams group records: skipped on load
 * value = null (a tombstone), or int16 version, then:
 *   offset commit, v0..v3 (Brook writes v3)
 *           int64 offset
 *           int32 leaderEpoch                                   v3 only
 *           string metadata
 *           int64 commitTimestamp
 *           int64 expireTimestamp                               v1 only
 *   group metadata, v0..v3 (Brook writes v3)
 *           string protocolType, int32 generation, string? protocol, string? leader,
 *           int64 currentStateTimestamp                         v2+
 *           int32 memberCount, then per member:
 *             string memberId
 *             string? groupInstanceId                           v3+
 *             string clientId, string clientHost
 *             int32 rebalanceTimeout                            v1+
 *             int32 sessionTimeout, bytes subscription, bytes assignment
 * </pre>
 *
 * Kafka's flexible v4 values (compact strings and tagged fields) are not read: Brook never writes
 * them, and a partition last led by Kafka itself is not a case Brook supports.
 *
 * <p>Thread-safe: stateless.
 */
public final class GroupRecordSerde {

    static final short LEGACY_OFFSET_COMMIT_KEY = 0;
    static final short OFFSET_COMMIT_KEY = 1;
    static final short GROUP_METADATA_KEY = 2;
    static final short OFFSET_COMMIT_VALUE_VERSION = 3;
    static final short GROUP_METADATA_VALUE_VERSION = 3;

    private GroupRecordSerde() {}

    /** One uncompressed batch holding {@code records}, stamped {@code timestampMs}. */
    public static MemoryRecords batch(List<GroupRecord> records, long timestampMs) {
        SimpleRecord[] out = new SimpleRecord[records.size()];
        for (int i = 0; i < out.length; i++) {
            GroupRecord r = records.get(i);
            out[i] = new SimpleRecord(timestampMs, key(r), value(r));
        }
        return MemoryRecords.withRecords(Compression.NONE, out);
    }

    /**
     * The record a log record holds, or null when its key is of a type Brook does not use
     * (Kafka's newer group types) or is not a coordinator key at all.
     *
     * @throws IllegalArgumentException the key is known but the value's version is not
     */
    public static GroupRecord decode(Record record) {
        if (!record.hasKey()) {
            return null;
        }
        ByteBuffer key = record.key();
        ByteBuffer value = record.hasValue() ? record.value() : null;
        return decode(key, value);
    }

    static GroupRecord decode(ByteBuffer key, ByteBuffer value) {
        short type = key.getShort();
        switch (type) {
            case LEGACY_OFFSET_COMMIT_KEY, OFFSET_COMMIT_KEY -> {
                String group = readString(key);
                TopicPartition tp = new TopicPartition(readString(key), key.getInt());
                return new OffsetCommit(group, tp, value == null ? null : readOffsetValue(value));
            }
            case GROUP_METADATA_KEY -> {
                String group = readString(key);
                return new GroupMetadata(group, value == null ? null : readGroupValue(value));
            }
            default -> {
                return null;
            }
        }
    }

    static byte[] key(GroupRecord record) {
        Writer w = new Writer();
        if (record instanceof OffsetCommit c) {
            w.int16(OFFSET_COMMIT_KEY);
            w.string(c.groupId());
            w.string(c.partition().topic());
            w.int32(c.partition().partition());
        } else {
            w.int16(GROUP_METADATA_KEY);
            w.string(record.groupId());
        }
        return w.toBytes();
    }

    static byte[] value(GroupRecord record) {
        if (record instanceof OffsetCommit c) {
            return c.value() == null ? null : offsetValue(c.value());
        }
        GroupSnapshot g = ((GroupMetadata) record).value();
        return g == null ? null : groupValue(g);
    }

    private static byte[] offsetValue(OffsetAndMetadata o) {
        Writer w = new Writer();
        w.int16(OFFSET_COMMIT_VALUE_VERSION);
        w.int64(o.offset());
        w.int32(o.leaderEpoch());
        w.string(o.metadata());
        w.int64(o.commitTimestampMs());
        return w.toBytes();
    }

    private static OffsetAndMetadata readOffsetValue(ByteBuffer b) {
        short version = b.getShort();
        if (version < 0 || version > 3) {
            throw new IllegalArgumentException("Unsupported offset commit value version " + version);
        }
        long offset = b.getLong();
        int epoch = version >= 3 ? b.getInt() : OffsetAndMetadata.NO_LEADER_EPOCH;
        String metadata = readString(b);
        long commitTimestamp = b.getLong();
        return new OffsetAndMetadata(offset, epoch, metadata, commitTimestamp);
    }

    private static byte[] groupValue(GroupSnapshot g) {
        Writer w = new Writer();
        w.int16(GROUP_METADATA_VALUE_VERSION);
        w.string(g.protocolType());
        w.int32(g.generationId());
        w.string(g.protocolName());
        w.string(g.leaderId());
        w.int64(g.currentStateTimestampMs());
        w.int32(g.members().size());
        for (MemberSnapshot m : g.members()) {
            w.string(m.memberId());
            w.string(m.groupInstanceId());
            w.string(m.clientId());
            w.string(m.clientHost());
            w.int32(m.rebalanceTimeoutMs());
            w.int32(m.sessionTimeoutMs());
            w.bytes(m.subscription());
            w.bytes(m.assignment());
        }
        return w.toBytes();
    }

    private static GroupSnapshot readGroupValue(ByteBuffer b) {
        short version = b.getShort();
        if (version < 0 || version > 3) {
            throw new IllegalArgumentException("Unsupported group metadata value version " + version);
        }
        String protocolType = readString(b);
        int generation = b.getInt();
        String protocol = readString(b);
        String leader = readString(b);
        long stateTimestamp = version >= 2 ? b.getLong() : -1L;
        int count = b.getInt();
        List<MemberSnapshot> members = new ArrayList<>(Math.max(0, count));
        for (int i = 0; i < count; i++) {
            String memberId = readString(b);
            String instanceId = version >= 3 ? readString(b) : null;
            String clientId = readString(b);
            String clientHost = readString(b);
            int sessionTimeout;
            int rebalanceTimeout;
            if (version >= 1) {
                rebalanceTimeout = b.getInt();
                sessionTimeout = b.getInt();
            } else {
                sessionTimeout = b.getInt();
                // v0 predates the rebalance timeout; Kafka then used the session timeout.
                rebalanceTimeout = sessionTimeout;
            }
            members.add(new MemberSnapshot(
                    memberId,
                    instanceId,
                    clientId,
                    clientHost,
                    rebalanceTimeout,
                    sessionTimeout,
                    readBytes(b),
                    readBytes(b)));
        }
        return new GroupSnapshot(protocolType, generation, protocol, leader, stateTimestamp, members);
    }

    private static String readString(ByteBuffer b) {
        short length = b.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(ByteBuffer b) {
        int length = b.getInt();
        byte[] bytes = new byte[Math.max(0, length)];
        b.get(bytes);
        return bytes;
    }

    /** A growable big-endian buffer. */
    private static final class Writer {
        private ByteBuffer buf = ByteBuffer.allocate(64);

        void int16(short v) {
            ensure(2).putShort(v);
        }

        void int32(int v) {
            ensure(4).putInt(v);
        }

        void int64(long v) {
            ensure(8).putLong(v);
        }

        void string(String s) {
            if (s == null) {
                int16((short) -1);
                return;
            }
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("String of " + bytes.length + " bytes is too long");
            }
            int16((short) bytes.length);
            ensure(bytes.length).put(bytes);
        }

        void bytes(byte[] bytes) {
            byte[] b = bytes == null ? new byte[0] : bytes;
            int32(b.length);
            ensure(b.length).put(b);
        }

        private ByteBuffer ensure(int more) {
            if (buf.remaining() < more) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
            return buf;
        }

        byte[] toBytes() {
            byte[] out = new byte[buf.position()];
            buf.flip();
            buf.get(out);
            return out;
        }
    }
}
