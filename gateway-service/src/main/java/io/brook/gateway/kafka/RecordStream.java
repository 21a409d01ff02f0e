package io.brook.gateway.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flow of records from one topic to one client (a WebSocket or a Server-Sent Events response),
 * driven by credits: the stream hands its {@link Sink} at most as many records as the client
 * granted, so nothing is read from the brokers faster than the client takes it.
 *
 * <p>The stream owns a KafkaConsumer and a thread that alone uses it, in a loop:
 *
 * <table>
 *   <caption>One turn of the loop</caption>
 *   <tr><th>state</th><th>what the turn does</th></tr>
 *   <tr><td>acks waiting</td><td>commits them (commitSync), before anything else</td></tr>
 *   <tr><td>window &gt; 0, records fetched</td><td>hands min(window, fetched) to the sink</td></tr>
 *   <tr><td>window &gt; 0, none fetched</td><td>resumes the partitions and polls up to {@code pollTimeout}</td></tr>
 *   <tr><td>window = 0</td><td>pauses the partitions and polls (which fetches nothing, but keeps the group
 *       membership alive) until {@link #grant}, {@link #ack} or {@link #close} wakes it</td></tr>
 *   <tr><td>closed</td><td>commits waiting acks, closes the consumer (leaving the group), ends the thread</td></tr>
 * </table>
 *
 * The window is the credits granted and not used, and, when the stream {@link Start#acks acks},
 * at most {@code maxUnacked} minus the records handed out and not acknowledged. Records fetched
 * and not yet handed out are at most one poll's worth (max.poll.records of the consumer, {@code
 * brook.gateway.streams.max-buffered-records}) per stream.
 *
 * <p>Acks: {@link #ack}(partition, offset) acknowledges every record of that partition handed out
 * up to that offset and commits offset + 1 for the group (at-least-once: a record is committed only
 * after the client said it has it). An ack past the last record handed out counts as one for that
 * record. In a group, partitions taken away by a rebalance commit their acks first; their records
 * fetched or unacknowledged are dropped here and delivered to the member that now owns them.
 *
 * <p>Threading: {@link #grant}, {@link #ack} and {@link #close} are thread-safe and never block;
 * the {@link Sink} is called on the stream's thread.
 */
public final class RecordStream {

    private static final Logger LOG = LoggerFactory.getLogger(RecordStream.class);

    /** Where records go. Called on the stream's thread. */
    public interface Sink {

        /** Records handed out: at most the window; the credits are used. */
        void records(List<ConsumerRecord<byte[], byte[]>> records);

        /** The stream failed (e.g. the group's offsets could not be committed) and stops. */
        void failed(Throwable error);

        /** The gateway is stopping: the stream has committed its acks and closed its consumer. */
        default void ended() {}
    }

    /**
     * What to read. With a {@code group}: subscribe to the topic in the group; the group's
     * committed offsets decide where to start, else {@code from} ({@code beginning} or {@code end}).
     * Without: the {@code partitions} given (all if empty), each from {@code offset} if given, else
     * from the beginning or the end as {@code from} says; {@code resumeAfter} then moves named
     * partitions past a record already seen (Last-Event-ID).
     *
     * @param acks whether records count as unacknowledged until {@link #ack} (true) or are
     *     acknowledged when handed out (false: the group's offsets then follow what was handed out)
     */
    public record Start(
            String topic,
            String group,
            List<Integer> partitions,
            Long offset,
            String from,
            Map<Integer, Long> resumeAfter,
            boolean acks) {}

    private record Ack(int partition, long offset) {}

    private final Consumer<byte[], byte[]> consumer;
    private final Start start;
    private final Sink sink;
    private final Duration pollTimeout;
    private final int maxUnacked;
    private final Runnable onClosed;
    private final AtomicLong credits = new AtomicLong();
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean goingAway;
    private volatile boolean waiting;
    private volatile long lag;

    // Owned by the stream's thread.
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> fetched = new ArrayDeque<>();
    private final Map<TopicPartition, ArrayDeque<Long>> unacked = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
    private int unackedCount;

    RecordStream(
            String name,
            Consumer<byte[], byte[]> consumer,
            Start start,
            Sink sink,
            Duration pollTimeout,
            int maxUnacked,
            Runnable onClosed) {
        this.consumer = consumer;
        this.start = start;
        this.sink = sink;
        this.pollTimeout = pollTimeout;
        this.maxUnacked = maxUnacked;
        this.onClosed = onClosed;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void startThread() {
        thread.start();
    }

    public String topic() {
        return start.topic();
    }

    /** Grants {@code n} more records (saturating at Long.MAX_VALUE). */
    public void grant(long n) {
        if (n <= 0) {
            return;
        }
        credits.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        wake();
    }

    /** Acknowledges the records of {@code partition} handed out up to {@code offset}. */
    public void ack(int partition, long offset) {
        acks.add(new Ack(partition, offset));
        wake();
    }

    /** Credits granted and not used. */
    public long credits() {
        return credits.get();
    }

    /** The consumer's lag summed over its partitions, as of its last fetch (Kafka's currentLag). */
    public long lag() {
        return lag;
    }

    /** Stops the stream: waiting acks are committed and the consumer is closed on its thread. */
    public void close() {
        closed = true;
        consumer.wakeup();
    }

    /** Stops the stream as {@link #close} does, because the gateway stops; the sink is told. */
    public void shutdown() {
        goingAway = true;
        close();
    }

    /** Waits up to {@code timeout} for the stream's thread to have closed its consumer. */
    public boolean awaitClosed(Duration timeout) {
        try {
            return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void wake() {
        if (waiting) {
            consumer.wakeup();
        }
    }

    private void run() {
        try {
            begin();
            while (!closed) {
                try {
                    turn();
                } catch (WakeupException e) {
                    // grant, ack or close: look again.
                }
            }
        } catch (Exception e) {
            if (!closed) {
                LOG.warn("Stream of topic {} failed", start.topic(), e);
                sink.failed(e);
            }
        } finally {
            try {
                applyAcks();
                try {
                    commitAcked();
                } catch (WakeupException e) {
                    // A wake-up left pending by close() or a late ack; it is spent now.
                    commitAcked();
                }
            } catch (Exception e) {
                LOG.warn("Could not commit the last acknowledged offsets of topic {}", start.topic(), e);
            }
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (Exception e) {
                LOG.debug("Closing a stream's consumer", e);
            }
            finished.countDown();
            onClosed.run();
            if (goingAway) {
                sink.ended();
            }
        }
    }

    private void begin() {
        if (start.group() != null) {
            consumer.subscribe(List.of(start.topic()), new Rebalance());
            return;
        }
        List<TopicPartition> tps = new ArrayList<>();
        if (start.partitions() == null || start.partitions().isEmpty()) {
            consumer.partitionsFor(start.topic())
                    .forEach(p -> tps.add(new TopicPartition(start.topic(), p.partition())));
        } else {
            start.partitions().forEach(p -> tps.add(new TopicPartition(start.topic(), p)));
        }
        consumer.assign(tps);
        if (start.offset() != null) {
            tps.forEach(tp -> consumer.seek(tp, start.offset()));
        } else if ("beginning".equals(start.from())) {
            consumer.seekToBeginning(tps);
        } else {
            consumer.seekToEnd(tps);
        }
        if (start.resumeAfter() != null) {
            start.resumeAfter().forEach((partition, offset) -> {
                TopicPartition tp = new TopicPartition(start.topic(), partition);
                if (tps.contains(tp)) {
                    consumer.seek(tp, offset + 1);
                }
            });
        }
    }

    private void turn() {
        applyAcks();
        commitAcked();
        long window = window();
        if (window > 0 && !fetched.isEmpty()) {
            handOut((int) Math.min(window, fetched.size()));
            return;
        }
        if (window > 0) {
            consumer.resume(consumer.assignment());
            ConsumerRecords<byte[], byte[]> polled = consumer.poll(pollTimeout);
            polled.forEach(fetched::add);
            updateLag();
            return;
        }
        consumer.pause(consumer.assignment());
        waiting = true;
        try {
            if (window() == 0 && acks.isEmpty() && !closed) {
                consumer.poll(pollTimeout.multipliedBy(4));
            }
        } finally {
            waiting = false;
        }
    }

    private long window() {
        long window = credits.get();
        if (start.acks()) {
            window = Math.min(window, maxUnacked - unackedCount);
        }
        return Math.max(0, window);
    }

    private void handOut(int n) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ConsumerRecord<byte[], byte[]> record = fetched.poll();
            out.add(record);
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (start.acks()) {
                unacked.computeIfAbsent(tp, k -> new ArrayDeque<>()).add(record.offset());
                unackedCount++;
            } else if (start.group() != null) {
                toCommit.put(tp, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        credits.addAndGet(-n);
        sink.records(out);
    }

    private void applyAcks() {
        Ack ack;
        while ((ack = acks.poll()) != null) {
            TopicPartition tp = new TopicPartition(start.topic(), ack.partition());
            ArrayDeque<Long> sent = unacked.get(tp);
            if (sent == null || sent.isEmpty()) {
                continue;
            }
            long last = -1;
            while (!sent.isEmpty() && sent.peekFirst() <= ack.offset()) {
                last = sent.pollFirst();
                unackedCount--;
            }
            if (last >= 0 && start.group() != null) {
                toCommit.put(tp, new OffsetAndMetadata(last + 1));
            }
        }
    }

    private void commitAcked() {
        if (toCommit.isEmpty() || start.group() == null) {
            toCommit.clear();
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>(toCommit);
        // Only what was committed is forgotten: a wake-up during the commit retries it next turn.
        consumer.commitSync(commits);
        commits.forEach(toCommit::remove);
    }

    private void updateLag() {
        long sum = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong partitionLag = consumer.currentLag(tp);
            if (partitionLag.isPresent()) {
                sum += partitionLag.getAsLong();
            }
        }
        lag = sum;
    }

    /** In a group: commits the acks of partitions taken away and forgets their records. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            applyAcks();
            Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
            for (TopicPartition tp : revoked) {
                OffsetAndMetadata offset = toCommit.remove(tp);
                if (offset != null) {
                    commits.put(tp, offset);
                }
                ArrayDeque<Long> sent = unacked.remove(tp);
                if (sent != null) {
                    unackedCount -= sent.size();
                }
            }
            if (!commits.isEmpty()) {
                consumer.commitSync(commits);
            }
            for (Iterator<ConsumerRecord<byte[], byte[]>> it = fetched.iterator(); it.hasNext(); ) {
                ConsumerRecord<byte[], byte[]> r = it.next();
                if (revoked.contains(new TopicPartition(r.topic(), r.partition()))) {
                    it.remove();
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (window() == 0) {
                consumer.pause(assigned);
            }
        }
    }
}
