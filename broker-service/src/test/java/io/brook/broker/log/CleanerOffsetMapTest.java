package io.brook.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CleanerOffsetMapTest {

    static ByteBuffer key(String s) {
        return ByteBuffer.wrap(Batches.bytes(s));
    }

    @Test
    void remembersTheLatestOffsetPerKey() {
        CleanerOffsetMap map = new CleanerOffsetMap(10);
        map.put(key("a"), 1);
        map.put(key("b"), 2);
        map.put(key("a"), 3);

        assertThat(map.get(key("a"))).isEqualTo(3);
        assertThat(map.get(key("b"))).isEqualTo(2);
        assertThat(map.get(key("c"))).isEqualTo(-1);
        assertThat(map.size()).isEqualTo(2);
        assertThat(map.remaining()).isEqualTo(8);
        assertThat(map.latestOffset()).isEqualTo(3);
    }

    @Test
    void holdsExactlyItsCapacityOfKeys() {
        CleanerOffsetMap map = new CleanerOffsetMap(50_000);
        for (int i = 0; i < 50_000; i++) {
            map.put(key("key-" + i), i);
        }
        map.put(key("key-7"), 50_000);

        for (int i = 0; i < 50_000; i++) {
            assertThat(map.get(key("key-" + i))).isEqualTo(i == 7 ? 50_000 : i);
        }
        assertThat(map.remaining()).isZero();
        assertThatThrownBy(() -> map.put(key("one-more"), 50_001))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("full at 50000 keys");
    }

    @Test
    void clearEmptiesTheMapForTheNextPass() {
        CleanerOffsetMap map = new CleanerOffsetMap(1);
        map.put(key("a"), 5);
        map.clear();

        assertThat(map.get(key("a"))).isEqualTo(-1);
        assertThat(map.latestOffset()).isEqualTo(-1);
        map.put(key("b"), 6);
        assertThat(map.get(key("b"))).isEqualTo(6);
    }

    @Test
    void doesNotConsumeTheKeyBuffer() {
        CleanerOffsetMap map = new CleanerOffsetMap(1);
        ByteBuffer k = key("abc");
        map.put(k, 1);

        assertThat(k.remaining()).isEqualTo(3);
        assertThat(map.get(k)).isEqualTo(1);
    }
}
