package io.brook.gateway.kafka;

import io.brook.gateway.config.GatewayProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.context.SmartLifecycle;

/**
 * Opens {@link RecordStream}s (one KafkaConsumer and one thread each) and keeps the live ones, so
 * that a shutdown closes them all (committing their acknowledged offsets and leaving their groups)
 * and so that their consumer lag shows as the gauge {@code brook_gateway_stream_lag_records{topic}}
 * (the sum over the live streams of the topic, as of their last fetch: free, the consumer tracks
 * it).
 *
 * <p>Lifecycle: stopping (before the web server's graceful shutdown, which would otherwise wait for
 * the open streams) closes every stream and waits for them; their clients are told ({@link
 * RecordStream.Sink#ended}: sockets close with 1001, event streams complete).
 *
 * <p>Threading: thread-safe.
 */
public class RecordStreams implements SmartLifecycle {

    private final KafkaClients clients;
    private final GatewayProperties.Streams settings;
    private final MeterRegistry registry;
    private final Set<RecordStream> live = ConcurrentHashMap.newKeySet();
    private final Set<String> lagGauges = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean running;

    public RecordStreams(KafkaClients clients, GatewayProperties properties, MeterRegistry registry) {
        this.clients = clients;
        this.settings = properties.getStreams();
        this.registry = registry;
    }

    /** Opens and starts a stream; it hands records to {@code sink} once credits are granted. */
    public RecordStream open(RecordStream.Start start, RecordStream.Sink sink) {
        long id = ids.incrementAndGet();
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.getMaxBufferedRecords());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "beginning".equals(start.from()) ? "earliest" : "latest");
        String clientId = "stream-" + id;
        RecordStream[] self = new RecordStream[1];
        RecordStream stream = new RecordStream(
                "brook-stream-" + id + "-" + start.topic(),
                clients.newConsumer(start.group(), clientId, config),
                start,
                sink,
                settings.getPollTimeout(),
                settings.getMaxUnackedRecords(),
                () -> live.remove(self[0]));
        self[0] = stream;
        live.add(stream);
        registerLag(start.topic());
        stream.startThread();
        return stream;
    }

    /** Streams open now. */
    public int size() {
        return live.size();
    }

    private void registerLag(String topic) {
        if (lagGauges.add(topic)) {
            Gauge.builder("brook.gateway.stream.lag", this, streams -> streams.lagOf(topic))
                    .description("Consumer lag of the gateway's open record streams (WebSocket, SSE)")
                    .baseUnit("records")
                    .tag("topic", topic)
                    .register(registry);
        }
    }

    private double lagOf(String topic) {
        long sum = 0;
        for (RecordStream stream : live) {
            if (stream.topic().equals(topic)) {
                sum += stream.lag();
            }
        }
        return sum;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        Set<RecordStream> open = Set.copyOf(live);
        open.forEach(RecordStream::shutdown);
        open.forEach(s -> s.awaitClosed(Duration.ofSeconds(10)));
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
