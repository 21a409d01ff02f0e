package io.brook.gateway.http.consume;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.http.RecordFormat;
import io.brook.gateway.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounded searches of a topic's records by key or value text, each run as a stream of events
 * ({@code match}, {@code progress}, {@code done}) for {@link RecordsSearchController}.
 *
 * <p>A search reads the chosen partitions from their start positions up to their log end offsets
 * as they were when it began (records produced meanwhile are not searched), with a consumer of its
 * own and no group. It stops at the first of: every partition read ({@code end}), {@code
 * max_scanned} records read ({@code max_scanned}), {@code max_matches} found ({@code
 * max_matches}), or the client gone. A record matches when the text is a substring of its key
 * and/or value read as UTF-8 (case-sensitive).
 *
 * <p>Threads: each search runs on a thread of its own ({@code brook-search-N}) that ends with the
 * search; at most {@code brook.gateway.dashboard.search-max-concurrent} run at once, more are
 * refused with 429. The thread emits only what the response has asked for (Reactor demand, which
 * follows the connection's writability), so a client that stops reading stops the scan. When the
 * client disconnects, the stream is cancelled: the thread is woken ({@link KafkaConsumer#wakeup}
 * out of a poll), closes its consumer and ends.
 */
@Component
class RecordSearches {

    private static final Logger LOG = LoggerFactory.getLogger(RecordSearches.class);

    /** Progress is reported at least this often while scanning, and every {@link #PROGRESS_RECORDS}. */
    static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);

    static final int PROGRESS_RECORDS = 1000;

    enum In {
        KEY,
        VALUE,
        BOTH
    }

    /** Where each partition starts: {@code earliest}, {@code latest-N} or a timestamp. */
    sealed interface From {
        record Earliest() implements From {}

        record LastN(long n) implements From {}

        record Timestamp(long ms) implements From {}
    }

    record Query(
            String topic,
            List<Integer> partitions,
            String text,
            In in,
            From from,
            long maxScanned,
            int maxMatches,
            RecordFormat.Format format) {}

    private final KafkaClients clients;
    private final RecordFormat format;
    private final JsonMapper json;
    private final Semaphore permits;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();

    RecordSearches(KafkaClients clients, RecordFormat format, JsonMapper json, GatewayProperties properties) {
        this.clients = clients;
        this.format = format;
        this.json = json;
        this.permits = new Semaphore(properties.getDashboard().getSearchMaxConcurrent());
    }

    /** Searches running now (their threads alive). */
    int running() {
        return running.get();
    }

    /** The events of one search; it starts when subscribed. 429 when too many run already. */
    Flux<ServerSentEvent<String>> search(Query query) {
        return Flux.create(sink -> {
            if (!permits.tryAcquire()) {
                sink.error(new GatewayException(
                        ErrorCode.TOO_MANY_REQUESTS, "Too many searches are running; try again later."));
                return;
            }
            Scan scan = new Scan(query, sink);
            Thread thread = new Thread(scan, "brook-search-" + ids.incrementAndGet());
            thread.setDaemon(true);
            scan.thread = thread;
            sink.onRequest(n -> LockSupport.unpark(thread));
            sink.onDispose(scan::cancel);
            running.incrementAndGet();
            thread.start();
        });
    }

    /** One search's loop, on its own thread. */
    private final class Scan implements Runnable {

        private final Query query;
        private final FluxSink<ServerSentEvent<String>> sink;
        private final AtomicReference<KafkaConsumer<byte[], byte[]>> consumer = new AtomicReference<>();
        private volatile boolean cancelled;
        private volatile Thread thread;
        private final byte[] needle;

        Scan(Query query, FluxSink<ServerSentEvent<String>> sink) {
            this.query = query;
            this.sink = sink;
            this.needle = query.text().getBytes(StandardCharsets.UTF_8);
        }

        void cancel() {
            cancelled = true;
            KafkaConsumer<byte[], byte[]> c = consumer.get();
            if (c != null) {
                c.wakeup();
            }
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            try {
                String[] last;
                try (KafkaConsumer<byte[], byte[]> c = clients.newConsumer(
                        null,
                        "search",
                        Map.of(
                                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                                2000,
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest"))) {
                    consumer.set(c);
                    last = cancelled ? null : scan(c);
                }
                // The consumer is closed before the last events: a client that starts its next
                // search on "done" finds this one's resources (and its permit) released.
                if (last != null) {
                    emit("progress", last[0]);
                    emit("done", last[1]);
                    sink.complete();
                }
            } catch (WakeupException e) {
                // Cancelled: the client went away.
            } catch (RuntimeException e) {
                if (!cancelled) {
                    LOG.debug("Search of {} failed", query.topic(), e);
                    sink.error(e);
                }
            } finally {
                running.decrementAndGet();
                permits.release();
            }
        }

        /** Scans; answers the last progress and the done event's data, or null when cancelled. */
        private String[] scan(KafkaConsumer<byte[], byte[]> c) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p : query.partitions()) {
                partitions.add(new TopicPartition(query.topic(), p));
            }
            c.assign(partitions);
            Map<TopicPartition, Long> begin = c.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            Map<TopicPartition, Long> start = starts(c, partitions, begin, end);
            Map<TopicPartition, Long> position = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
            List<TopicPartition> done = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                position.put(tp, start.get(tp));
                if (start.get(tp) >= end.get(tp)) {
                    done.add(tp);
                } else {
                    c.seek(tp, start.get(tp));
                }
            }
            c.pause(done);
            long scanned = 0;
            int matches = 0;
            long lastProgressNanos = System.nanoTime();
            long lastProgressScanned = 0;
            String reason = "end";
            scanning:
            while (done.size() < partitions.size() && !cancelled) {
                ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(200));
                for (TopicPartition tp : records.partitions()) {
                    long last = end.get(tp);
                    for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                        if (record.offset() >= last) {
                            break;
                        }
                        scanned++;
                        position.put(tp, record.offset() + 1);
                        if (matches(record)) {
                            matches++;
                            emit("match", json.writeValueAsString(ReadJson.record(record, format, query.format())));
                            if (matches >= query.maxMatches()) {
                                reason = "max_matches";
                                break scanning;
                            }
                        }
                        if (scanned >= query.maxScanned()) {
                            reason = "max_scanned";
                            break scanning;
                        }
                    }
                }
                // Past the end by position too (transaction markers and compacted gaps have no records).
                List<TopicPartition> finished = new ArrayList<>();
                for (TopicPartition tp : partitions) {
                    if (!done.contains(tp) && c.position(tp) >= end.get(tp)) {
                        position.put(tp, Math.max(position.get(tp), end.get(tp)));
                        finished.add(tp);
                    }
                }
                if (!finished.isEmpty()) {
                    done.addAll(finished);
                    c.pause(finished);
                }
                if (System.nanoTime() - lastProgressNanos >= PROGRESS_INTERVAL.toNanos()
                        || scanned - lastProgressScanned >= PROGRESS_RECORDS) {
                    emit("progress", progress(scanned, position, end));
                    lastProgressNanos = System.nanoTime();
                    lastProgressScanned = scanned;
                }
            }
            if (cancelled) {
                return null;
            }
            Map<String, Object> finish = new LinkedHashMap<>();
            finish.put("scanned", scanned);
            finish.put("matches", matches);
            finish.put("reason", reason);
            return new String[] {progress(scanned, position, end), json.writeValueAsString(finish)};
        }

        private Map<TopicPartition, Long> starts(
                KafkaConsumer<byte[], byte[]> c,
                List<TopicPartition> partitions,
                Map<TopicPartition, Long> begin,
                Map<TopicPartition, Long> end) {
            Map<TopicPartition, Long> start = new HashMap<>();
            From from = query.from();
            if (from instanceof From.Timestamp timestamp) {
                Map<TopicPartition, Long> times = new HashMap<>();
                partitions.forEach(tp -> times.put(tp, timestamp.ms()));
                Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(times);
                for (TopicPartition tp : partitions) {
                    OffsetAndTimestamp at = found.get(tp);
                    start.put(tp, at == null ? end.get(tp) : at.offset());
                }
            } else if (from instanceof From.LastN last) {
                partitions.forEach(tp -> start.put(tp, Math.max(begin.get(tp), end.get(tp) - last.n())));
            } else {
                partitions.forEach(tp -> start.put(tp, begin.get(tp)));
            }
            return start;
        }

        private boolean matches(ConsumerRecord<byte[], byte[]> record) {
            return switch (query.in()) {
                case KEY -> contains(record.key());
                case VALUE -> contains(record.value());
                case BOTH -> contains(record.key()) || contains(record.value());
            };
        }

        /** Whether the text's UTF-8 bytes occur in {@code bytes}: the same as a substring of its UTF-8 text. */
        private boolean contains(byte[] bytes) {
            if (bytes == null || bytes.length < needle.length) {
                return false;
            }
            outer:
            for (int i = 0; i <= bytes.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (bytes[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        private String progress(long scanned, Map<TopicPartition, Long> position, Map<TopicPartition, Long> end) {
            Map<String, Object> partitions = new LinkedHashMap<>();
            position.forEach((tp, offset) -> {
                Map<String, Long> one = new LinkedHashMap<>();
                one.put("offset", offset);
                one.put("end", end.get(tp));
                partitions.put(Integer.toString(tp.partition()), one);
            });
            Map<String, Object> progress = new LinkedHashMap<>();
            progress.put("scanned", scanned);
            progress.put("partitions", partitions);
            return json.writeValueAsString(progress);
        }

        /** Waits for the response's demand (or cancellation), then emits. */
        private void emit(String event, String data) {
            while (sink.requestedFromDownstream() <= 0 && !cancelled) {
                LockSupport.parkNanos(50_000_000L);
            }
            if (cancelled) {
                throw new WakeupException();
            }
            sink.next(ServerSentEvent.<String>builder().event(event).data(data).build());
        }
    }
}
