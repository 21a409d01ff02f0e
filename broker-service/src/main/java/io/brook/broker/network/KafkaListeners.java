package io.brook.broker.network;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.network.ListenerName;

/**
 * The broker's Kafka listeners, one {@link KafkaServer} each (Kafka's {@code listeners}), started
 * and stopped together. Thread-safe.
 */
public final class KafkaListeners {

    private final List<KafkaServer> servers;

    public KafkaListeners(List<KafkaServer> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a broker needs a listener");
        }
        this.servers = List.copyOf(servers);
    }

    /** Binds every listener; if one cannot bind, the ones bound are stopped again. */
    public synchronized void start() throws InterruptedException {
        List<KafkaServer> started = new ArrayList<>();
        try {
            for (KafkaServer server : servers) {
                server.start();
                started.add(server);
            }
        } catch (RuntimeException | InterruptedException e) {
            started.forEach(KafkaServer::stop);
            throw e;
        }
    }

    /** Stops every listener, each letting its requests in flight finish. */
    public synchronized void stop() {
        servers.forEach(KafkaServer::stop);
    }

    public List<KafkaServer> servers() {
        return servers;
    }

    /** The port bound by the named listener, once started. */
    public int port(ListenerName listener) {
        return servers.stream()
                .filter(s -> s.security().listenerName().equals(listener))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no listener " + listener.value()))
                .port();
    }
}
