package io.brook.gateway.http.metrics;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.kafka.KafkaClients;
import io.brook.gateway.kafka.KafkaFutures;
import io.brook.gateway.kafka.LogDirSizes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The cluster's throughput over the last minutes, sampled by the gateway and kept in memory for
 * the dashboard's charts (no Prometheus needed): every {@code
 * brook.gateway.dashboard.sample-interval} (5 s), messages and bytes per second, in total and per
 * topic, kept for {@code sample-retention} (15 min: at most 180 samples).
 *
 * <p>How a sample is taken: a DescribeCluster and one DescribeLogDirs over the live brokers
 * ({@link LogDirSizes}: the partitions and their sizes), and one ListOffsets (latest) over those
 * partitions. Messages per second is the change of the partitions' log end offsets divided by the
 * time between the two observations (offsets, so a transaction's commit marker counts as one); bytes per second the change of their sizes on disk (one copy each). Internal
 * topics ({@code __consumer_offsets}) are left out. A change below zero (a topic deleted,
 * segments removed by retention, offsets of a recreated topic) counts as zero. Bytes are bytes on
 * disk: record batches with their headers, after compression, as Kafka's {@code BytesInPerSec}
 * counts them.
 *
 * <p>When: only while someone asked for samples within {@code sample-while-asked-within} (10
 * min), so an idle cluster gets no requests from the gateway. The first ask after a pause takes an
 * observation at once; the first sample follows one interval later (a rate needs two
 * observations), and a pause is never bridged by one sample.
 *
 * <p>Threading: thread-safe. One scheduler thread starts the samples; the Admin calls complete on
 * the Admin client's thread; at most one sample is in flight at a time (a slow cluster skips
 * ticks rather than piling up requests).
 */
@Component
class ThroughputSampler implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ThroughputSampler.class);

    record TopicRate(double messagesPerSec, double bytesPerSec) {}

    record Sample(long timestamp, double messagesPerSec, double bytesPerSec, Map<String, TopicRate> topics) {}

    /** One observation: when, and each partition's log end offset and size. */
    record Observation(long timeMs, Map<TopicPartition, Long> ends, Map<TopicPartition, Long> sizes) {}

    private final KafkaClients clients;
    private final LogDirSizes sizes;
    private final Clock clock;
    private final long intervalMs;
    private final int maxSamples;
    private final long askedWithinMs;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final Deque<Sample> samples = new ArrayDeque<>();
    private volatile long lastAskedMs = Long.MIN_VALUE / 2;
    private Observation previous; // guarded by this

    ThroughputSampler(KafkaClients clients, LogDirSizes sizes, Clock clock, GatewayProperties properties) {
        this.clients = clients;
        this.sizes = sizes;
        this.clock = clock;
        GatewayProperties.Dashboard dashboard = properties.getDashboard();
        this.intervalMs = dashboard.getSampleInterval().toMillis();
        this.maxSamples = (int) Math.max(1, dashboard.getSampleRetention().toMillis() / intervalMs);
        this.askedWithinMs = dashboard.getSampleWhileAskedWithin().toMillis();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brook-throughput-sampler");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    long intervalMs() {
        return intervalMs;
    }

    /**
     * The samples within {@code window} of now (null: all kept), oldest first; marks sampling as
     * wanted, and observes at once if sampling was idle.
     */
    List<Sample> samples(Duration window) {
        long now = clock.millis();
        boolean wasIdle = now - lastAskedMs > askedWithinMs;
        lastAskedMs = now;
        if (wasIdle) {
            scheduler.execute(this::observe);
        }
        long from = window == null ? Long.MIN_VALUE : now - window.toMillis();
        synchronized (this) {
            return samples.stream().filter(s -> s.timestamp() >= from).toList();
        }
    }

    private void tick() {
        if (clock.millis() - lastAskedMs > askedWithinMs) {
            synchronized (this) {
                previous = null;
            }
            return;
        }
        observe();
    }

    private void observe() {
        if (!inFlight.compareAndSet(false, true)) {
            return;
        }
        sizes.sizes()
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        return Mono.<Observation>empty();
                    }
                    Map<TopicPartition, Long> partitionSizes = new HashMap<>();
                    found.get().partitionBytes().forEach((tp, bytes) -> {
                        if (!Topic.isInternal(tp.topic())) {
                            partitionSizes.put(tp, bytes);
                        }
                    });
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    partitionSizes.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                    Mono<Map<TopicPartition, Long>> ends = latest.isEmpty()
                            ? Mono.just(Map.of())
                            : KafkaFutures.mono(
                                            clients.admin().listOffsets(latest).all())
                                    .map(offsets -> {
                                        Map<TopicPartition, Long> byPartition = new HashMap<>();
                                        offsets.forEach((tp, info) -> byPartition.put(tp, info.offset()));
                                        return byPartition;
                                    });
                    return ends.map(e -> new Observation(clock.millis(), e, partitionSizes));
                })
                .doFinally(signal -> inFlight.set(false))
                .subscribe(this::record, e -> LOG.debug("A throughput sample failed; the next tick tries again", e));
    }

    private synchronized void record(Observation now) {
        Observation before = previous;
        if (before != null && now.timeMs() - before.timeMs() < intervalMs / 2) {
            // Too close to the last one (an ask's observation just before a tick): a rate over a
            // few milliseconds would be noise; the next tick measures from the earlier one.
            return;
        }
        previous = now;
        if (before == null) {
            return;
        }
        samples.addLast(rates(before, now));
        while (samples.size() > maxSamples) {
            samples.removeFirst();
        }
    }

    /**
     * The rates between two observations: per topic, the sum over its partitions of the change of
     * log end offset and of size, divided by the seconds between them. A partition absent from the
     * earlier observation (created meanwhile, or on a broker that did not answer then) and a
     * change below zero count as zero.
     */
    static Sample rates(Observation before, Observation now) {
        double seconds = (now.timeMs() - before.timeMs()) / 1000.0;
        Map<String, long[]> perTopic = new TreeMap<>();
        now.ends().forEach((tp, end) -> {
            long[] delta = perTopic.computeIfAbsent(tp.topic(), t -> new long[2]);
            Long was = before.ends().get(tp);
            delta[0] += was == null ? 0 : Math.max(0, end - was);
        });
        now.sizes().forEach((tp, size) -> {
            long[] delta = perTopic.computeIfAbsent(tp.topic(), t -> new long[2]);
            Long was = before.sizes().get(tp);
            delta[1] += was == null ? 0 : Math.max(0, size - was);
        });
        Map<String, TopicRate> topics = new TreeMap<>();
        long messages = 0;
        long bytes = 0;
        for (Map.Entry<String, long[]> e : perTopic.entrySet()) {
            messages += e.getValue()[0];
            bytes += e.getValue()[1];
            topics.put(e.getKey(), new TopicRate(e.getValue()[0] / seconds, e.getValue()[1] / seconds));
        }
        return new Sample(now.timeMs(), messages / seconds, bytes / seconds, topics);
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
