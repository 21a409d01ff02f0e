package io.brook.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final LoginThrottle throttle =
            new LoginThrottle(Duration.ofMillis(100), Duration.ofSeconds(1), 3, now::get);

    @Test
    void anAddressWithoutFailuresIsNotDelayed() {
        assertThat(throttle.beforeAttempt("10.0.0.1")).isZero();
        assertThat(throttle.beforeAttempt("10.0.0.1")).isZero();
    }

    @Test
    void consecutiveFailuresDoubleTheDelayUpToTheMaximum() {
        throttle.failed("a");
        assertThat(throttle.beforeAttempt("a")).isEqualTo(Duration.ofMillis(100));
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        throttle.failed("a");
        assertThat(throttle.beforeAttempt("a")).isEqualTo(Duration.ofMillis(200));
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        throttle.failed("a");
        throttle.failed("a");
        throttle.failed("a");
        assertThat(throttle.beforeAttempt("a")).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.delay(40)).isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void parallelAttemptsQueueBehindEachOther() {
        throttle.failed("a");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(throttle.beforeAttempt("a")).isZero();
        assertThat(throttle.beforeAttempt("a")).isEqualTo(Duration.ofMillis(100));
        assertThat(throttle.beforeAttempt("a")).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aSuccessForgetsTheAddressAndOthersAreNotAffected() {
        throttle.failed("a");
        throttle.failed("a");
        assertThat(throttle.beforeAttempt("b")).isZero();
        throttle.succeeded("a");
        assertThat(throttle.beforeAttempt("a")).isZero();
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentlySeenAddress() {
        throttle.failed("a");
        throttle.failed("b");
        throttle.failed("c");
        throttle.failed("d");
        assertThat(throttle.tracked()).isEqualTo(3);
        assertThat(throttle.beforeAttempt("a")).isZero();
    }
}
