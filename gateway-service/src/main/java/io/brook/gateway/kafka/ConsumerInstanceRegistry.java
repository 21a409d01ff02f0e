package io.brook.gateway.kafka;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The REST v2 consumer instances this gateway owns, by group and name, with idle expiry.
 *
 * <p>An instance lives in this gateway's memory only: a client must come back to the gateway that
 * created it (its {@code base_uri}), and a gateway restart loses its instances (their committed
 * offsets stay in the group). An instance not used for {@code
 * brook.gateway.consumers.instance-timeout} (Confluent's consumer.instance.timeout.ms, 5 minutes)
 * is closed by a check every {@code expiry-check-interval}; its consumer leaves the group.
 *
 * <p>Threading: thread-safe; {@link #create} builds a KafkaConsumer (no network I/O: that starts
 * with the first poll), the rest only touch the map.
 */
public class ConsumerInstanceRegistry implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerInstanceRegistry.class);

    private record Key(String group, String name) {}

    private final KafkaClients clients;
    private final GatewayProperties.Consumers settings;
    private final Clock clock;
    private final Map<Key, ConsumerInstance> instances = new ConcurrentHashMap<>();
    private final ScheduledExecutorService expiry;

    public ConsumerInstanceRegistry(KafkaClients clients, GatewayProperties properties, Clock clock) {
        this.clients = clients;
        this.settings = properties.getConsumers();
        this.clock = clock;
        this.expiry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brook-consumer-instance-expiry");
            t.setDaemon(true);
            return t;
        });
        long every = settings.getExpiryCheckInterval().toMillis();
        expiry.scheduleWithFixedDelay(this::expireIdle, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Creates an instance in {@code group}.
     *
     * @param name the instance's name; null for a generated one
     * @param offsetReset Kafka's auto.offset.reset ({@code earliest}, {@code latest}, {@code
     *     none}; Confluent's older {@code smallest}/{@code largest} too); null for latest
     * @param autoCommit Kafka's enable.auto.commit
     * @throws GatewayException 409 (40903) if the name is taken in the group
     */
    public ConsumerInstance create(
            String group, String name, ConsumerInstance.Format format, String offsetReset, boolean autoCommit) {
        String instanceName = name == null || name.isBlank() ? "rest-consumer-" + UUID.randomUUID() : name;
        Key key = new Key(group, instanceName);
        if (instances.containsKey(key)) {
            throw exists(key);
        }
        if (instances.size() >= settings.getMaxInstances()) {
            throw new GatewayException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "This gateway holds its maximum of " + settings.getMaxInstances() + " consumer instances.");
        }
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset(offsetReset));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, autoCommit);
        ConsumerInstance instance = new ConsumerInstance(
                group,
                instanceName,
                format,
                clients.newConsumer(group, "rest-" + group + "-" + instanceName, config),
                clock);
        if (instances.putIfAbsent(key, instance) != null) {
            instance.close();
            throw exists(key);
        }
        LOG.info("Created consumer instance {} in group {}", instanceName, group);
        return instance;
    }

    private static GatewayException exists(Key key) {
        return new GatewayException(
                ErrorCode.CONSUMER_INSTANCE_EXISTS,
                "A consumer instance named " + key.name() + " already exists in group " + key.group() + ".");
    }

    static String offsetReset(String value) {
        if (value == null || value.isBlank()) {
            return "latest";
        }
        return switch (value.trim()) {
            case "earliest", "smallest" -> "earliest";
            case "latest", "largest" -> "latest";
            case "none" -> "none";
            default ->
                throw new GatewayException(
                        ErrorCode.INVALID_REQUEST,
                        "auto.offset.reset must be earliest, latest or none, not '" + value + "'.");
        };
    }

    /** The instance; 404 (40403) if this gateway has none of that name in the group. */
    public ConsumerInstance get(String group, String name) {
        ConsumerInstance instance = instances.get(new Key(group, name));
        if (instance == null || instance.isClosed()) {
            throw new GatewayException(
                    ErrorCode.CONSUMER_INSTANCE_NOT_FOUND,
                    "Consumer instance " + name + " of group " + group + " not found.");
        }
        return instance;
    }

    /** Closes and forgets the instance; 404 (40403) if unknown. */
    public void delete(String group, String name) {
        ConsumerInstance instance = instances.remove(new Key(group, name));
        if (instance == null) {
            throw new GatewayException(
                    ErrorCode.CONSUMER_INSTANCE_NOT_FOUND,
                    "Consumer instance " + name + " of group " + group + " not found.");
        }
        instance.close();
        LOG.info("Deleted consumer instance {} of group {}", name, group);
    }

    /** Instances held now. */
    public int size() {
        return instances.size();
    }

    void expireIdle() {
        Duration timeout = settings.getInstanceTimeout();
        instances.forEach((key, instance) -> {
            if (instance.idleFor(timeout) && instances.remove(key, instance)) {
                LOG.info("Consumer instance {} of group {} idle for {}; closing it", key.name(), key.group(), timeout);
                instance.close();
            }
        });
    }

    @Override
    public void destroy() {
        expiry.shutdownNow();
        instances.values().forEach(ConsumerInstance::close);
        // Give each consumer a moment to leave its group, so that its partitions move on at once.
        instances.values().forEach(i -> i.awaitClosed(Duration.ofSeconds(5)));
        instances.clear();
    }
}
