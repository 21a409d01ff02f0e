package io.brook.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class BrokerListenersTest {

    private static BrokerListeners resolve(String listeners, String advertised, String map, String interBroker) {
        BrokerProperties broker = new BrokerProperties();
        broker.setAdvertisedHost("broker-1.example");
        ListenerProperties config = new ListenerProperties();
        config.setListeners(listeners);
        config.setAdvertisedListeners(advertised);
        config.setListenerSecurityProtocolMap(map);
        config.setInterBrokerListenerName(interBroker);
        return BrokerListeners.resolve(broker, config);
    }

    @Test
    void withoutListenersTheBrokerHasItsOnePlaintextListenerOnHostAndPort() {
        BrokerProperties broker = new BrokerProperties();
        broker.setHost("127.0.0.1");
        broker.setPort(9999);
        broker.setAdvertisedHost("localhost");
        BrokerListeners listeners = BrokerListeners.resolve(broker, new ListenerProperties());
        assertThat(listeners.listeners())
                .containsExactly(new BrokerListeners.Listener(
                        new ListenerName("PLAINTEXT"), SecurityProtocol.PLAINTEXT, "127.0.0.1", 9999, "localhost", 0));
        assertThat(listeners.interBroker().value()).isEqualTo("PLAINTEXT");
    }

    @Test
    void protocolNamesAreTheirOwnProtocolAndPlaintextIsTheDefaultInterBrokerListener() {
        BrokerListeners listeners = resolve("SASL_SSL://:9093,PLAINTEXT://10.0.0.1:9092", "", "", "");
        assertThat(listeners.listeners())
                .extracting(BrokerListeners.Listener::protocol)
                .containsExactly(SecurityProtocol.SASL_SSL, SecurityProtocol.PLAINTEXT);
        // An empty host binds every address and is advertised under advertised-host.
        assertThat(listeners.listeners().get(0).bindHost()).isEqualTo("0.0.0.0");
        assertThat(listeners.listeners().get(0).advertisedHost()).isEqualTo("broker-1.example");
        assertThat(listeners.listeners().get(1).advertisedHost()).isEqualTo("10.0.0.1");
        assertThat(listeners.interBroker().value()).isEqualTo("PLAINTEXT");
    }

    @Test
    void namedListenersTakeTheirProtocolFromTheMapAndTheirAdvertisedAddress() {
        BrokerListeners listeners = resolve(
                "internal://0.0.0.0:9092,EXTERNAL://0.0.0.0:9093",
                "EXTERNAL://kafka.example.com:19093",
                "INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_SSL",
                "internal");
        assertThat(listeners.listeners().get(0).protocol()).isEqualTo(SecurityProtocol.SASL_PLAINTEXT);
        assertThat(listeners.listeners().get(1).advertisedHost()).isEqualTo("kafka.example.com");
        assertThat(listeners.listeners().get(1).advertisedPort()).isEqualTo(19093);
        assertThat(listeners.interBroker().value()).isEqualTo("INTERNAL");
        assertThat(listeners.interBrokerProtocol()).isEqualTo(SecurityProtocol.SASL_PLAINTEXT);
    }

    @Test
    void mistakesAreRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> resolve("CLIENTS://:9092", "", "", ""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CLIENTS");
        assertThatThrownBy(() -> resolve("PLAINTEXT://:9092,SSL://:9092", "", "", ""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("9092");
        assertThatThrownBy(() -> resolve("PLAINTEXT://:9092", "SSL://h:1", "", ""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("advertised");
        assertThatThrownBy(() -> resolve("PLAINTEXT://:9092", "", "", "SSL"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inter-broker");
        assertThatThrownBy(() -> resolve("PLAINTEXT//host:9092", "", "", "")).isInstanceOf(ConfigException.class);
    }
}
