package io.brook.gateway.http.groups;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.kafka.KafkaClients;
import io.brook.gateway.kafka.KafkaFutures;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Consumer-group lag over the last minutes, for the dashboard's lag charts: for each group someone
 * looked at recently ({@code .../lags}, {@code .../lag-history}), every {@code
 * brook.gateway.dashboard.sample-interval} the lag of each partition it has an offset for (log end
 * offset minus committed offset, never below zero, as {@code .../lags} computes it) and their
 * total, kept for {@code sample-retention}.
 *
 * <p>Bounds: a group is sampled while it was asked for within {@code sample-while-asked-within},
 * then forgotten with its samples; at most {@code max-lag-groups} groups are watched (the least
 * recently asked for goes first). Each sample of a group is one OffsetFetch and one ListOffsets.
 * A group's first ask takes a sample at once.
 *
 * <p>Threading: thread-safe; the map of groups is guarded by this object, each group's samples by
 * its {@link Watched}; one scheduler thread starts samples, which complete on the Admin client's
 * thread, at most one in flight per group.
 */
@Component
class LagHistory implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(LagHistory.class);

    record Sample(long timestamp, long totalLag, Map<String, Long> partitions) {}

    private static final class Watched {
        final String group;
        final Deque<Sample> samples = new ArrayDeque<>();
        final AtomicBoolean inFlight = new AtomicBoolean();
        volatile long lastAskedMs;

        Watched(String group) {
            this.group = group;
        }
    }

    private final KafkaClients clients;
    private final Clock clock;
    private final long intervalMs;
    private final int maxSamples;
    private final long askedWithinMs;
    private final int maxGroups;
    private final ScheduledExecutorService scheduler;
    private final LinkedHashMap<String, Watched> groups = new LinkedHashMap<>(16, 0.75f, true);

    LagHistory(KafkaClients clients, Clock clock, GatewayProperties properties) {
        this.clients = clients;
        this.clock = clock;
        GatewayProperties.Dashboard dashboard = properties.getDashboard();
        this.intervalMs = dashboard.getSampleInterval().toMillis();
        this.maxSamples = (int) Math.max(1, dashboard.getSampleRetention().toMillis() / intervalMs);
        this.askedWithinMs = dashboard.getSampleWhileAskedWithin().toMillis();
        this.maxGroups = dashboard.getMaxLagGroups();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brook-lag-sampler");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    long intervalMs() {
        return intervalMs;
    }

    /** Marks {@code group} as looked at; its first ask samples it at once. */
    void watch(String group) {
        long now = clock.millis();
        Watched watched;
        boolean added = false;
        synchronized (this) {
            watched = groups.get(group);
            if (watched == null) {
                watched = new Watched(group);
                watched.lastAskedMs = now;
                groups.put(group, watched);
                added = true;
                Iterator<Watched> oldest = groups.values().iterator();
                while (groups.size() > maxGroups && oldest.hasNext()) {
                    oldest.next();
                    oldest.remove();
                }
            }
        }
        watched.lastAskedMs = now;
        if (added) {
            Watched first = watched;
            scheduler.execute(() -> sample(first));
        }
    }

    /** The group's samples, oldest first; watches it. */
    List<Sample> history(String group) {
        watch(group);
        Watched watched;
        synchronized (this) {
            watched = groups.get(group);
        }
        if (watched == null) {
            return List.of();
        }
        synchronized (watched) {
            return List.copyOf(watched.samples);
        }
    }

    private void tick() {
        long now = clock.millis();
        List<Watched> due;
        synchronized (this) {
            groups.values().removeIf(w -> now - w.lastAskedMs > askedWithinMs);
            due = List.copyOf(groups.values());
        }
        due.forEach(this::sample);
    }

    private void sample(Watched watched) {
        if (!watched.inFlight.compareAndSet(false, true)) {
            return;
        }
        KafkaFutures.mono(
                        clients.admin().listConsumerGroupOffsets(watched.group).partitionsToOffsetAndMetadata())
                .flatMap(committed -> {
                    Map<TopicPartition, Long> offsets = new HashMap<>();
                    committed.forEach((TopicPartition tp, OffsetAndMetadata om) -> {
                        if (om != null) {
                            offsets.put(tp, om.offset());
                        }
                    });
                    if (offsets.isEmpty()) {
                        return Mono.just(new Sample(clock.millis(), 0, Map.of()));
                    }
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    offsets.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                    return KafkaFutures.mono(clients.admin().listOffsets(latest).all())
                            .map(ends -> {
                                Map<String, Long> lags = new TreeMap<>();
                                long total = 0;
                                for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
                                    long lag = Math.max(0, ends.get(e.getKey()).offset() - e.getValue());
                                    lags.put(e.getKey().toString(), lag);
                                    total += lag;
                                }
                                return new Sample(clock.millis(), total, lags);
                            });
                })
                .doFinally(signal -> watched.inFlight.set(false))
                .subscribe(
                        sample -> {
                            synchronized (watched) {
                                watched.samples.addLast(sample);
                                while (watched.samples.size() > maxSamples) {
                                    watched.samples.removeFirst();
                                }
                            }
                        },
                        e -> LOG.debug("A lag sample of group {} failed; the next tick tries again", watched.group, e));
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
