package io.brook.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdleRatioTest {

    static final long SECOND = 1_000_000_000L;

    final AtomicLong now = new AtomicLong(5 * SECOND);
    final IdleRatio ratio = new IdleRatio(4, now::get);

    @Test
    void isTheShareOfThreadTimeNotBusySinceThePreviousRead() {
        now.addAndGet(10 * SECOND);
        ratio.busy(10 * SECOND); // one of four threads busy all the time
        assertThat(ratio.idleRatio()).isCloseTo(0.75, within(1e-9));

        now.addAndGet(2 * SECOND);
        ratio.busy(8 * SECOND); // all four busy
        assertThat(ratio.idleRatio()).isCloseTo(0.0, within(1e-9));

        now.addAndGet(2 * SECOND); // nothing done
        assertThat(ratio.idleRatio()).isEqualTo(1.0);
    }

    @Test
    void readsWithinASecondRepeatTheLastValueAndOverlongWorkIsClamped() {
        now.addAndGet(2 * SECOND);
        ratio.busy(4 * SECOND);
        assertThat(ratio.idleRatio()).isCloseTo(0.5, within(1e-9));
        now.addAndGet(SECOND / 2);
        ratio.busy(SECOND);
        assertThat(ratio.idleRatio()).isCloseTo(0.5, within(1e-9));

        now.addAndGet(SECOND);
        ratio.busy(60 * SECOND); // a unit that ran a minute ends now
        assertThat(ratio.idleRatio()).isZero();
    }
}
