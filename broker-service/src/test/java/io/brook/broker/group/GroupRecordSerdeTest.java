package io.brook.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.broker.group.GroupRecord.GroupMetadata;
import io.brook.broker.group.GroupRecord.GroupSnapshot;
import io.brook.broker.group.GroupRecord.MemberSnapshot;
import io.brook.broker.group.GroupRecord.OffsetCommit;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The {@code __consumer_offsets} format against bytes produced by Kafka 4.4.0's own generated
 * classes ({@code MessageUtil.toVersionPrefixedByteBuffer} of {@code OffsetCommitKey} with type 1,
 * {@code OffsetCommitValue} v3, {@code GroupMetadataKey} with type 2 and {@code
 * GroupMetadataValue} v3), so that Kafka's tools can read what Brook writes.
 */
class GroupRecordSerdeTest {

    static final HexFormat HEX = HexFormat.of();

    static final String KAFKA_OFFSET_KEY = "000100016700017400000003";
    static final String KAFKA_OFFSET_VALUE = "0003000000000000002a0000000500016d00000000000003e8";
    static final String KAFKA_GROUP_KEY = "0002000167";
    static final String KAFKA_GROUP_VALUE = "00030008636f6e73756d657200000002000572616e67650003632d3100000000000003e8"
            + "000000020003632d31ffff00016300022f68000493e00000afc800000002010200000001030003692d3200016900016300022f68"
            + "00000001000000020000000000000000";
    static final String KAFKA_EMPTY_GROUP_VALUE = "0003000000000001ffffffff000000000000000700000000";

    final OffsetCommit offset =
            new OffsetCommit("g", new TopicPartition("t", 3), new OffsetAndMetadata(42, 5, "m", 1000));

    final GroupMetadata group = new GroupMetadata(
            "g",
            new GroupSnapshot(
                    "consumer",
                    2,
                    "range",
                    "c-1",
                    1000,
                    List.of(
                            new MemberSnapshot(
                                    "c-1", null, "c", "/h", 300_000, 45_000, new byte[] {1, 2}, new byte[] {3}),
                            new MemberSnapshot("i-2", "i", "c", "/h", 1, 2, new byte[0], new byte[0]))));

    @Test
    void offsetCommitsAreWrittenAsKafkaWritesThem() {
        assertThat(HEX.formatHex(GroupRecordSerde.key(offset))).isEqualTo(KAFKA_OFFSET_KEY);
        assertThat(HEX.formatHex(GroupRecordSerde.value(offset))).isEqualTo(KAFKA_OFFSET_VALUE);
    }

    @Test
    void groupMetadataIsWrittenAsKafkaWritesIt() {
        assertThat(HEX.formatHex(GroupRecordSerde.key(group))).isEqualTo(KAFKA_GROUP_KEY);
        assertThat(HEX.formatHex(GroupRecordSerde.value(group))).isEqualTo(KAFKA_GROUP_VALUE);
        GroupMetadata empty = new GroupMetadata("g", new GroupSnapshot("", 1, null, null, 7, List.of()));
        assertThat(HEX.formatHex(GroupRecordSerde.value(empty))).isEqualTo(KAFKA_EMPTY_GROUP_VALUE);
    }

    @Test
    void kafkasRecordsReadBack() {
        assertThat(decode(KAFKA_OFFSET_KEY, KAFKA_OFFSET_VALUE)).isEqualTo(offset);
        GroupMetadata read = (GroupMetadata) decode(KAFKA_GROUP_KEY, KAFKA_GROUP_VALUE);
        assertThat(read.value()).usingRecursiveComparison().isEqualTo(group.value());
    }

    @Test
    void tombstonesHaveNoValue() {
        OffsetCommit deleted = new OffsetCommit("g", new TopicPartition("t", 3), null);
        assertThat(GroupRecordSerde.value(deleted)).isNull();
        assertThat(GroupRecordSerde.value(new GroupMetadata("g", null))).isNull();
        assertThat(GroupRecordSerde.decode(ByteBuffer.wrap(HEX.parseHex(KAFKA_OFFSET_KEY)), null))
                .isEqualTo(deleted);
    }

    @Test
    void olderValueVersionsAndTheLegacyKeyReadBack() {
        // OffsetCommitValue v1 (with expireTimestamp) under the legacy key type 0.
        String key = "0000" + KAFKA_OFFSET_KEY.substring(4);
        String v1 = "0001" + "000000000000002a" + "00016d" + "00000000000003e8" + "ffffffffffffffff";
        assertThat(decode(key, v1))
                .isEqualTo(new OffsetCommit("g", new TopicPartition("t", 3), new OffsetAndMetadata(42, -1, "m", 1000)));
    }

    @Test
    void keysOfNewerGroupTypesAreSkipped() {
        assertThat(GroupRecordSerde.decode(ByteBuffer.wrap(HEX.parseHex("0003000167")), null))
                .isNull();
    }

    static GroupRecord decode(String key, String value) {
        return GroupRecordSerde.decode(ByteBuffer.wrap(HEX.parseHex(key)), ByteBuffer.wrap(HEX.parseHex(value)));
    }
}
