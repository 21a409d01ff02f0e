package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class RecordFormatTest {

    static ConsumerRecord<byte[], byte[]> record(String key, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("a", "1".getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("b", "2".getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>(
                "orders",
                3,
                42L,
                1_700_000_000_000L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                headers,
                Optional.empty());
    }

    @Test
    void everyPlaceholderIsReplacedAndEscapesAreInterpreted() {
        RecordFormat format = RecordFormat.compile("%t %p %o %k=%v|%s %K %S %T [%h] 100%%\\t.\\n");
        assertThat(format.apply(record("kéy", "value")))
                .isEqualTo("orders 3 42 kéy=value|value 4 5 1700000000000 [a=1,b=2] 100%\t.\n");
    }

    @Test
    void nullKeyAndValuePrintEmptyWithLengthMinusOne() {
        assertThat(RecordFormat.compile("[%k][%v] %K %S").apply(record(null, null)))
                .isEqualTo("[][] -1 -1");
    }

    @Test
    void theDefaultIsTheValueAndANewline() {
        assertThat(RecordFormat.compile(RecordFormat.DEFAULT).apply(record("k", "v")))
                .isEqualTo("v\n");
    }

    @Test
    void anUnknownPlaceholderIsAUsageError() {
        assertThatThrownBy(() -> RecordFormat.compile("%x"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("%x");
    }
}
