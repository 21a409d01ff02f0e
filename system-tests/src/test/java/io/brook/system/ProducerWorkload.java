package io.brook.system;

import static org.awaitility.Awaitility.await;

import io.brook.system.ReplicationChecker.Ack;
import io.brook.system.ReplicationChecker.LoggedRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A producer writing to one topic for as long as the faults last, with Kafka's strongest
 * settings (acks=all, idempotence, unbounded retries within the delivery timeout), and the record
 * of every acknowledgement it got, for {@link ReplicationChecker}.
 *
 * <p>Records: key {@code k<n>} for {@code n} in {@code [0, keys)} in turn, value {@code
 * k<n>:<seq>} where {@code seq} counts that key's records from 0. One key goes to one partition
 * (the default partitioner hashes the key), and one thread sends, so a key's sequence numbers are
 * sent in increasing order. A send that fails (below min ISR, timed out) is counted by exception
 * class and never resent: its sequence number stays unacknowledged, like a user's lost write.
 *
 * <p>The send rate is capped ({@code recordsPerSecond}) and so are the sends in flight, so that
 * the producer does not take the brokers' two cores, nor pile up records while the cluster is
 * down.
 *
 * <p>Threading: one sender thread of its own; {@link #ackCount}, {@link #acks} and {@link
 * #errors} are safe from any thread; {@link #start} and {@link #stop} from the test's.
 */
final class ProducerWorkload implements AutoCloseable {

    /** Sends in flight at most; enough for the rate at a second of acks=all latency. */
    static final int MAX_IN_FLIGHT_SENDS = 2_000;

    private final String topic;
    private final int keys;
    private final int recordsPerSecond;
    private final KafkaProducer<String, String> producer;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT_SENDS);
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final AtomicLong ackCount = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final Thread sender;
    private volatile boolean running;

    /**
     * @param producerOverrides producer configs replacing the workload's own
     */
    ProducerWorkload(
            String bootstrap, String topic, int keys, int recordsPerSecond, Map<String, Object> producerOverrides) {
        this.topic = topic;
        this.keys = keys;
        this.recordsPerSecond = recordsPerSecond;
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        // long enough to ride out a leader's ZooKeeper session expiring and its successor taking
        // over; a record still unanswered after it is a failed (unacknowledged) send
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.putAll(producerOverrides);
        producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        sender = new Thread(this::sendLoop, "workload-" + topic);
        sender.setDaemon(true);
    }

    ProducerWorkload(String bootstrap, String topic, int keys, int recordsPerSecond) {
        this(bootstrap, topic, keys, recordsPerSecond, Map.of());
    }

    void start() {
        running = true;
        sender.start();
    }

    private void sendLoop() {
        long[] nextSeq = new long[keys];
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / recordsPerSecond;
        long next = System.nanoTime();
        long n = 0;
        while (running) {
            // a rate limiter, not a wait for a condition: the send schedule
            long ahead = next - System.nanoTime();
            if (ahead > 0) {
                LockSupport.parkNanos(ahead);
            }
            next += intervalNanos;
            try {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            int k = (int) (n++ % keys);
            String key = "k" + k;
            long seq = nextSeq[k]++;
            try {
                producer.send(new ProducerRecord<>(topic, key, key + ":" + seq), (metadata, error) -> {
                    inFlight.release();
                    if (error == null) {
                        acks.add(new Ack(metadata.partition(), metadata.offset(), key, seq));
                        ackCount.incrementAndGet();
                    } else {
                        errors.computeIfAbsent(error.getClass().getSimpleName(), e -> new AtomicLong())
                                .incrementAndGet();
                    }
                });
                sent.incrementAndGet();
            } catch (RuntimeException e) {
                inFlight.release();
                errors.computeIfAbsent(e.getClass().getSimpleName(), c -> new AtomicLong())
                        .incrementAndGet();
            }
        }
    }

    long ackCount() {
        return ackCount.get();
    }

    long sentCount() {
        return sent.get();
    }

    /** Every acknowledgement so far. */
    List<Ack> acks() {
        return new ArrayList<>(acks);
    }

    /** Failed sends by exception class. */
    Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /**
     * Waits until {@code count} more records are acknowledged than now: the cluster takes writes
     * with acks=all.
     */
    void awaitMoreAcks(long count, Duration timeout) {
        long target = ackCount() + count;
        await(count + " more acknowledged records on " + topic)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> ackCount() >= target);
    }

    /** Stops sending and waits for every send in flight to be answered (acked or failed). */
    void stop() {
        running = false;
        try {
            sender.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(90));
    }

    @Override
    public void close() {
        if (running) {
            stop();
        }
        producer.close(Duration.ZERO);
    }

    @Override
    public String toString() {
        return "workload on " + topic + ": " + sent.get() + " sent, " + ackCount.get() + " acknowledged, failed "
                + errors();
    }

    /**
     * Reads every partition of {@code topic} from its beginning to its end offset (the high
     * watermark: what consumers see) from the leaders, as {@link LoggedRecord}s. A value not in the
     * workload's {@code key:seq} form gets sequence -1.
     */
    static Map<Integer, List<LoggedRecord>> readAll(String bootstrap, String topic, Duration timeout) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<Integer, List<LoggedRecord>> records = new TreeMap<>();
            partitions.forEach(tp -> records.put(tp.partition(), new ArrayList<>()));
            await("read " + topic + " up to " + end)
                    .atMost(timeout)
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                            records.get(r.partition()).add(new LoggedRecord(r.offset(), r.key(), seqOf(r.value())));
                        }
                        Map<TopicPartition, Long> positions = new HashMap<>();
                        for (TopicPartition tp : partitions) {
                            positions.put(tp, consumer.position(tp));
                        }
                        return partitions.stream().allMatch(tp -> positions.get(tp) >= end.get(tp));
                    });
            return records;
        }
    }

    static long seqOf(String value) {
        int colon = value == null ? -1 : value.lastIndexOf(':');
        try {
            return colon < 0 ? -1 : Long.parseLong(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
