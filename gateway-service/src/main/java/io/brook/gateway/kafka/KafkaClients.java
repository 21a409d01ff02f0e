package io.brook.gateway.kafka;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The gateway's kafka-clients clients of the brokers: the shared producers and the Admin client.
 *
 * <p>Producers: one {@code KafkaProducer<byte[], byte[]>} per acks value, created on first use and
 * shared by every request that asks for that acks. A producer's acks is fixed at creation, so
 * per-request acks needs one producer each; there are only three values ({@code all}, {@code 1},
 * {@code 0}), so the pool stays small, and each producer keeps batching across concurrent HTTP
 * requests. Only the {@code all} producer is idempotent (Kafka requires acks=all for it).
 *
 * <p>Every client gets {@code brook.gateway.kafka.*} (how the gateway authenticates to the
 * brokers, as a service principal the brokers list in their super users) on top of its own
 * settings.
 *
 * <p>Threading: thread-safe. {@link KafkaProducer#send} does not block once the topic's metadata is
 * known; the gateway looks metadata up through {@link ClusterMetadata} before sending, so a send
 * blocks at most for a first metadata fetch of a topic (max.block.ms, bounded by the admin
 * timeout). Admin calls return futures and never block.
 */
public class KafkaClients implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);

    private final GatewayProperties properties;
    private final Admin admin;
    private final Map<String, Producer<byte[], byte[]>> producers = new ConcurrentHashMap<>();
    private final Set<String> warmed = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public KafkaClients(GatewayProperties properties) {
        this.properties = properties;
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.getBootstrapServers());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, properties.getClientId() + "-admin");
        int timeoutMs = (int) properties.getAdminTimeout().toMillis();
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.putAll(properties.getKafka());
        this.admin = Admin.create(config);
    }

    /** The Admin client; thread-safe. */
    public Admin admin() {
        return admin;
    }

    /**
     * The shared producer for an acks value ({@code all}/{@code -1}, {@code 1}, {@code 0}; null
     * for the configured default).
     *
     * @throws GatewayException 400 for any other value
     */
    public Producer<byte[], byte[]> producer(String acks) {
        String key = normalizeAcks(acks == null ? properties.getProducer().getAcks() : acks);
        if (closed) {
            throw new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, "The gateway is shutting down.");
        }
        return producers.computeIfAbsent(key, this::createProducer);
    }

    /**
     * The shared producer for {@code acks}, once it knows {@code topic}'s metadata. A producer's
     * first send to a topic blocks in {@code send} until it has fetched the topic's metadata; that
     * first time happens here on a bounded-elastic thread ({@code partitionsFor}), so that sends
     * made on event-loop threads do not block. (A send can still block when the producer's
     * buffer.memory is full, i.e. when the brokers cannot keep up.)
     */
    public Mono<Producer<byte[], byte[]>> producerFor(String acks, String topic) {
        Producer<byte[], byte[]> producer;
        String key;
        try {
            producer = producer(acks);
            key = normalizeAcks(acks == null ? properties.getProducer().getAcks() : acks) + "/" + topic;
        } catch (GatewayException e) {
            return Mono.error(e);
        }
        if (warmed.contains(key)) {
            return Mono.just(producer);
        }
        return Mono.fromCallable(() -> {
                    producer.partitionsFor(topic);
                    warmed.add(key);
                    return producer;
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * A new consumer of bytes, owned by the caller (who closes it and uses it from one thread at a
     * time): in {@code groupId} (null: none), with auto-commit off unless {@code overrides} say
     * otherwise. Used by REST v2 consumer instances and by record streams, each of which owns one.
     */
    public KafkaConsumer<byte[], byte[]> newConsumer(String groupId, String clientId, Map<String, Object> overrides) {
        if (closed) {
            throw new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, "The gateway is shutting down.");
        }
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.getBootstrapServers());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, properties.getClientId() + "-" + clientId);
        if (groupId != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int)
                properties.getAdminTimeout().toMillis());
        config.putAll(properties.getKafka());
        config.putAll(overrides);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static String normalizeAcks(String acks) {
        return switch (acks.trim().toLowerCase(Locale.ROOT)) {
            case "all", "-1" -> "all";
            case "1" -> "1";
            case "0" -> "0";
            default ->
                throw new GatewayException(
                        ErrorCode.INVALID_REQUEST, "acks must be all, -1, 1 or 0, not '" + acks + "'.");
        };
    }

    private Producer<byte[], byte[]> createProducer(String acks) {
        GatewayProperties.Producer settings = properties.getProducer();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.getBootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, properties.getClientId() + "-producer-acks-" + acks);
        config.put(ProducerConfig.ACKS_CONFIG, acks);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, acks.equals("all"));
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) settings.getLinger().toMillis());
        config.put(
                ProducerConfig.BATCH_SIZE_CONFIG, (int) settings.getBatchSize().toBytes());
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.getCompressionType());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int)
                settings.getMaxRequestSize().toBytes());
        int deliveryMs = (int) settings.getDeliveryTimeout().toMillis();
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryMs);
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        config.put(
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Math.max(1, deliveryMs - (int) settings.getLinger().toMillis()));
        config.put(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.getAdminTimeout().toMillis());
        config.putAll(properties.getKafka());
        config.putAll(settings.getProperties());
        LOG.info("Creating the gateway's producer with acks={}", acks);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void destroy() {
        closed = true;
        // Close flushes: records accepted before shutdown are still delivered (and answered).
        producers.values().forEach(p -> p.close(Duration.ofSeconds(10)));
        admin.close(Duration.ofSeconds(5));
    }
}
