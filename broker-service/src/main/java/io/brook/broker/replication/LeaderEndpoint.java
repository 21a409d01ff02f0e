package io.brook.broker.replication;

import java.io.IOException;
import java.net.SocketTimeoutException;
import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.BootstrapConfiguration;
import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.ManualMetadataUpdater;
import org.apache.kafka.clients.MetadataRecoveryStrategy;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.clients.NetworkClientUtils;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.ChannelBuilder;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.LogContext;

/**
 * One blocking connection from a follower to a leader (Kafka's {@code BrokerBlockingSender}):
 * kafka-clients' {@link NetworkClient} with a {@link ManualMetadataUpdater} holding the one node,
 * so that the client negotiates API versions with the leader itself; each call connects if
 * needed, sends, and waits for the response.
 *
 * <p>Threading: used by its fetcher thread only, except {@link #wakeup} and {@link #close}.
 */
final class LeaderEndpoint implements AutoCloseable {

    private final Node leader;
    private final NetworkClient client;
    private final Metrics metrics;
    private final int socketTimeoutMs;
    private final Time time = Time.SYSTEM;

    /**
     * @param channels the inter-broker listener's channel builder (plaintext, TLS, SASL), owned
     *     and closed by this endpoint
     */
    LeaderEndpoint(
            Node leader, String clientId, int socketTimeoutMs, long reconnectBackoffMs, ChannelBuilder channels) {
        this.leader = leader;
        this.socketTimeoutMs = socketTimeoutMs;
        this.metrics = new Metrics();
        LogContext logContext = new LogContext("[" + clientId + "] ");
        // Kafka's connections.max.idle.ms for inter-broker connections: 10 minutes.
        Selector selector = new Selector(600_000L, metrics, time, "replica-fetcher", channels, logContext);
        this.client = new NetworkClient(
                selector,
                new ManualMetadataUpdater(java.util.List.of(leader)),
                clientId,
                1,
                reconnectBackoffMs,
                Math.max(reconnectBackoffMs, 1_000L),
                // replica.socket.receive.buffer.bytes: 64 KiB; send: OS default
                -1,
                64 * 1024,
                socketTimeoutMs,
                socketTimeoutMs,
                socketTimeoutMs,
                time,
                false,
                new ApiVersions(),
                logContext,
                MetadataRecoveryStrategy.NONE,
                BootstrapConfiguration.DISABLED,
                false);
    }

    Node leader() {
        return leader;
    }

    /**
     * Sends {@code request} and waits for its response.
     *
     * @throws IOException the connection failed or timed out; the connection is closed
     */
    ClientResponse send(AbstractRequest.Builder<?> request) throws IOException {
        try {
            if (!NetworkClientUtils.awaitReady(client, leader, time, socketTimeoutMs)) {
                throw new SocketTimeoutException("no connection to " + leader + " within " + socketTimeoutMs + " ms");
            }
            ClientRequest clientRequest = client.newClientRequest(
                    Integer.toString(leader.id()), request, time.milliseconds(), true, socketTimeoutMs, null);
            return NetworkClientUtils.sendAndReceive(client, clientRequest, time);
        } catch (IOException | RuntimeException e) {
            client.close(Integer.toString(leader.id()));
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /** Interrupts a blocking {@link #send} (shutdown). */
    void wakeup() {
        client.wakeup();
    }

    @Override
    public void close() {
        client.close();
        metrics.close();
    }
}
