package io.brook.broker;

import io.brook.broker.config.BrokerListeners;
import io.brook.broker.config.BrokerProperties;
import io.brook.broker.log.LogManager;
import io.brook.broker.network.KafkaListeners;
import io.brook.broker.replication.LeadershipSync;
import io.brook.cluster.controller.Controller;
import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.metadata.Endpoint;
import io.brook.cluster.metadata.MetadataCache;
import io.brook.cluster.metadata.MetadataImage;
import io.brook.cluster.metadata.PartitionState;
import io.brook.cluster.registration.BrokerRegistrar;
import io.brook.cluster.zk.ZkClusterClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops the broker's parts in order.
 *
 * <p>Start: open (and recover) the logs; follow the cluster metadata, which makes this broker
 * lead the partitions ZooKeeper says it leads; bind the Kafka listeners; register in ZooKeeper
 * with every listener's advertised endpoint and bound port (only now may clients be sent here);
 * join the controller election.
 *
 * <p>Stop (SIGTERM, Ctrl-C): a controlled shutdown first (Kafka's {@code
 * controlled.shutdown.enable}): create {@code /admin/controlled_shutdown/<id>} and wait, up to
 * {@code brook.broker.controlled-shutdown-timeout}, until the metadata cache shows this broker
 * leading no partition that another eligible in-sync replica could lead, so that clients move to
 * the new leaders while this broker still answers them ({@code NOT_LEADER_OR_FOLLOWER} sends them
 * to Metadata). The controller keeps running meanwhile: if this broker is the controller, it
 * moves its own leaderships. Then leave the election and deregister; stop the listener, letting
 * the requests in flight finish; close the logs cleanly, so that the next start skips recovery.
 */
public final class BrokerServer implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerServer.class);

    private final BrokerProperties properties;
    private final CuratorFramework curator;
    private final MetadataCache metadata;
    private final LogManager logManager;
    private final LeadershipSync leadership;
    private final BrokerListeners listenerConfig;
    private final KafkaListeners kafkaListeners;
    private final Controller controller;
    private final Clock clock;
    private final Duration startTimeout;
    private BrokerRegistrar registrar;
    private volatile boolean running;
    private volatile boolean stopping;

    public BrokerServer(
            BrokerProperties properties,
            CuratorFramework curator,
            MetadataCache metadata,
            LogManager logManager,
            LeadershipSync leadership,
            BrokerListeners listenerConfig,
            KafkaListeners kafkaListeners,
            Controller controller,
            Clock clock,
            Duration startTimeout) {
        this.properties = properties;
        this.curator = curator;
        this.metadata = metadata;
        this.logManager = logManager;
        this.leadership = leadership;
        this.listenerConfig = listenerConfig;
        this.kafkaListeners = kafkaListeners;
        this.controller = controller;
        this.clock = clock;
        this.startTimeout = startTimeout;
    }

    @Override
    public synchronized void start() {
        try {
            logManager.startup();
            metadata.addListener(leadership);
            metadata.start(startTimeout);
            kafkaListeners.start();
            List<Endpoint> endpoints = listenerConfig.listeners().stream()
                    .map(l -> new Endpoint(
                            l.name().value(),
                            l.advertisedHost(),
                            l.advertisedPort() != 0 ? l.advertisedPort() : kafkaListeners.port(l.name()),
                            l.protocol()))
                    .toList();
            Optional<String> rack =
                    properties.getRack().isBlank() ? Optional.empty() : Optional.of(properties.getRack());
            registrar = new BrokerRegistrar(
                    curator,
                    new BrokerRegistration(properties.getId(), endpoints, rack),
                    clock,
                    error -> LOG.error("Broker registration failed for good", error));
            String clusterId = registrar.start();
            controller.start();
            running = true;
            LOG.info("Broker {} of cluster {} is up on {}", properties.getId(), clusterId, endpoints);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    @Override
    public synchronized void stop() {
        stopping = true;
        running = false;
        if (registrar != null && properties.isControlledShutdownEnable()) {
            controlledShutdown();
        }
        controller.close();
        if (registrar != null) {
            registrar.close();
            try {
                new ZkClusterClient(curator).clearControlledShutdown(properties.getId());
            } catch (RuntimeException e) {
                LOG.debug("The controlled-shutdown marker goes with the session", e);
            }
        }
        kafkaListeners.stop();
        metadata.removeListener(leadership);
        metadata.close();
        // Followers stop appending before the logs close.
        leadership.close();
        try {
            logManager.close();
        } catch (IOException e) {
            LOG.error("Closing the logs failed", e);
        }
        LOG.info("Broker {} stopped", properties.getId());
    }

    private void controlledShutdown() {
        int id = properties.getId();
        Duration timeout = properties.getControlledShutdownTimeout();
        try {
            new ZkClusterClient(curator).requestControlledShutdown(id);
            LOG.info("Broker {}: controlled shutdown, waiting up to {} for leaderships to move", id, timeout);
            if (metadata.await(image -> !leadsMovablePartitions(image, id), timeout)
                    .isPresent()) {
                LOG.info("Broker {}: controlled shutdown complete", id);
            } else {
                LOG.warn("Broker {}: leaderships did not move within {}; stopping anyway", id, timeout);
            }
        } catch (RuntimeException e) {
            LOG.warn("Broker {}: controlled shutdown failed; stopping anyway", id, e);
        }
    }

    /** Whether {@code brokerId} leads a partition that another eligible ISR member could lead. */
    static boolean leadsMovablePartitions(MetadataImage image, int brokerId) {
        for (PartitionState state : image.partitionStates().values()) {
            if (state.leader() == brokerId
                    && state.isr().stream()
                            .anyMatch(b -> b != brokerId
                                    && image.brokers().containsKey(b)
                                    && !image.shuttingDownBrokers().contains(b))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Whether {@link #stop} has begun: the broker is leaving, never ready again. */
    public boolean isStopping() {
        return stopping;
    }

    /** This broker's id. */
    public int brokerId() {
        return properties.getId();
    }

    /** The port the first Kafka listener is bound to. */
    public int port() {
        return kafkaListeners.servers().get(0).port();
    }
}
