package io.brook.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idle expiry of REST v2 consumer instances, on a clock the test moves (no broker needed). */
class ConsumerInstanceRegistryTest {

    /** A clock that moves only when told. */
    static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    ManualClock clock = new ManualClock();
    KafkaClients clients;
    ConsumerInstanceRegistry registry;

    @BeforeEach
    void setUp() {
        GatewayProperties properties = new GatewayProperties();
        // Nothing listens there: creating and closing a consumer needs no broker.
        properties.setBootstrapServers("127.0.0.1:1");
        properties.getConsumers().setInstanceTimeout(Duration.ofMinutes(5));
        // The test calls expireIdle itself.
        properties.getConsumers().setExpiryCheckInterval(Duration.ofHours(1));
        clients = new KafkaClients(properties);
        registry = new ConsumerInstanceRegistry(clients, properties, clock);
    }

    @AfterEach
    void tearDown() {
        registry.destroy();
        clients.destroy();
    }

    @Test
    void anInstanceUnusedForTheInstanceTimeoutIsClosedAndThenUnknown() {
        registry.create("g", "idle", ConsumerInstance.Format.JSON, "earliest", false);
        registry.create("g", "busy", ConsumerInstance.Format.JSON, "earliest", false);

        clock.advance(Duration.ofMinutes(4));
        registry.get("g", "busy").call(consumer -> consumer.subscription()).block();
        clock.advance(Duration.ofMinutes(1));
        registry.expireIdle();

        assertThatThrownBy(() -> registry.get("g", "idle"))
                .isInstanceOf(GatewayException.class)
                .extracting(e -> ((GatewayException) e).errorCode())
                .isEqualTo(ErrorCode.CONSUMER_INSTANCE_NOT_FOUND);
        assertThat(registry.get("g", "busy").name()).isEqualTo("busy");
        assertThat(registry.size()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(5));
        registry.expireIdle();
        assertThat(registry.size()).isZero();
    }

    @Test
    void aNameIsUniqueWithinAGroupOnlyAndGeneratedWhenMissing() {
        registry.create("g1", "same", ConsumerInstance.Format.BINARY, null, true);
        registry.create("g2", "same", ConsumerInstance.Format.BINARY, null, true);
        assertThatThrownBy(() -> registry.create("g1", "same", ConsumerInstance.Format.BINARY, null, true))
                .extracting(e -> ((GatewayException) e).errorCode())
                .isEqualTo(ErrorCode.CONSUMER_INSTANCE_EXISTS);
        assertThat(registry.create("g1", null, ConsumerInstance.Format.BINARY, null, true)
                        .name())
                .startsWith("rest-consumer-");
        assertThatThrownBy(() -> registry.create("g1", "x", ConsumerInstance.Format.BINARY, "sideways", true))
                .extracting(e -> ((GatewayException) e).errorCode())
                .isEqualTo(ErrorCode.INVALID_REQUEST);
    }
}
