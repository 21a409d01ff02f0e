package io.brook.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class LogConfigTest {

    @Test
    void defaultsAreKafkas() {
        LogConfig config = LogConfig.DEFAULT;
        assertThat(config.segmentBytes()).isEqualTo(1 << 30);
        assertThat(config.retentionMs()).isEqualTo(7L * 24 * 3600 * 1000);
        assertThat(config.retentionBytes()).isEqualTo(-1);
        assertThat(config.flushMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.delete()).isTrue();
        assertThat(config.compact()).isFalse();
        assertThat(config.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
    }

    @Test
    void readsSettingsByTheirKafkaNamesFromStrings() {
        LogConfig config = LogConfig.of(Map.of(
                "segment.bytes", "1048576",
                "retention.ms", "-1",
                "cleanup.policy", "compact,delete",
                "message.timestamp.type", "LogAppendTime",
                "flush.messages", "1",
                "some.other.setting", "ignored"));
        assertThat(config.segmentBytes()).isEqualTo(1048576);
        assertThat(config.retentionMs()).isEqualTo(-1);
        assertThat(config.compact()).isTrue();
        assertThat(config.delete()).isTrue();
        assertThat(config.flushMessages()).isEqualTo(1);
        assertThat(config.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
    }

    @Test
    void badValuesFailWithKafkasConfigException() {
        assertThatThrownBy(() -> LogConfig.of(Map.of("segment.bytes", "10")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("segment.bytes");
        assertThatThrownBy(() -> LogConfig.of(Map.of("cleanup.policy", "shred")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cleanup.policy");
        assertThatThrownBy(() -> LogConfig.of(Map.of("retention.ms", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("retention.ms");
    }

    @Test
    void overridesKeepTheRest() {
        LogConfig base = LogConfig.of(Map.of("segment.bytes", "2048"));
        LogConfig changed = base.with(Map.of("retention.bytes", "4096"));
        assertThat(changed.segmentBytes()).isEqualTo(2048);
        assertThat(changed.retentionBytes()).isEqualTo(4096);
        assertThat(LogConfig.of(changed.toMap())).isEqualTo(changed);
    }
}
