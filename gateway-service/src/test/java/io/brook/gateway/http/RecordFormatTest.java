package io.brook.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** How read keys and values are typed: JSON when they parse, else STRING, else BINARY. */
class RecordFormatTest {

    private final RecordFormat format = new RecordFormat(JsonMapper.builder().build());

    private RecordData auto(String text) {
        return format.decode(text.getBytes(StandardCharsets.UTF_8), RecordFormat.Format.AUTO);
    }

    @Test
    void everyKindOfJsonTextIsReadAsJson() {
        for (String json :
                new String[] {"{\"a\": 1}", "[1, 2]", "\"text\"", "-3", "42", "true", "false", "null", " \n\t{}"}) {
            assertThat(auto(json).type()).as(json).isEqualTo("JSON");
        }
        assertThat(auto(" {\"a\": 1}").data().get("a").asInt()).isEqualTo(1);
    }

    @Test
    void textThatIsNotJsonIsReadAsAStringWhateverItStartsWith() {
        // Some are told apart by their first byte, others only by a parse: both end as text.
        for (String text :
                new String[] {"t1795928722809xxxx", "xxxx", "trueish", "nothing", "fals", "12 apples", "{oops", ""}) {
            RecordData read = auto(text);
            assertThat(read.type()).as(text).isEqualTo("STRING");
            assertThat(read.data().asString()).isEqualTo(text);
        }
    }

    @Test
    void bytesThatAreNotUtf8AreReadAsBinary() {
        RecordData read = format.decode(new byte[] {(byte) 0xff, (byte) 0xfe}, RecordFormat.Format.AUTO);
        assertThat(read.type()).isEqualTo("BINARY");
        assertThat(read.data().asString()).isEqualTo("//4=");
    }

    @Test
    void onlyTheStartOfAValueDecidesWhetherItIsParsed() {
        assertThat(RecordFormat.mayBeJson("x{}".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(RecordFormat.mayBeJson("   ".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(RecordFormat.mayBeJson("tru".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(RecordFormat.mayBeJson("null".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(RecordFormat.mayBeJson("\r\n[".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
    }
}
