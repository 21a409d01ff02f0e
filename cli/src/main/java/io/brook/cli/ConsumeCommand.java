package io.brook.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code brook consume TOPIC}: prints records as they arrive, as {@code
 * kafka-console-consumer.sh} and {@code kcat -C}.
 *
 * <p>Without {@code --group} the consumer is assigned the topic's partitions (or {@code
 * --partition}'s) and starts where the start option says: the end (default), the beginning, an
 * offset, or the first offset at or after a time; nothing is committed. With {@code --group} it
 * subscribes as a member of the group, starts at the group's committed offsets (new partitions at
 * the end, or the beginning with {@code --from-beginning}) and commits what it printed when it
 * stops. It stops after {@code --max-messages} records, after {@code --timeout-ms} without a
 * record, or on Ctrl-C (the shutdown hook wakes the poll and waits for the commit).
 *
 * <p>Output: {@code --format} (kcat's placeholders, {@link RecordFormat}), or with {@code
 * --output json} one JSON object per record and line.
 */
@Command(name = "consume", description = "Print the records of a topic.", mixinStandardHelpOptions = true)
final class ConsumeCommand extends ClusterCommand {

    record ConsumedRecord(
            String topic,
            int partition,
            long offset,
            long timestamp,
            String key,
            String value,
            Map<String, String> headers) {}

    @Parameters(paramLabel = "TOPIC", description = "The topic.")
    String topic;

    @ArgGroup(multiplicity = "0..1")
    Start start = new Start();

    static final class Start {
        @Option(
                names = {"-b", "--from-beginning"},
                description = "Start at the beginning of each partition.")
        boolean beginning;

        @Option(
                names = "--offset",
                paramLabel = "OFFSET",
                description = "Start at this offset of each partition, or earliest, latest (no --group).")
        String offset;

        @Option(
                names = "--from-time",
                paramLabel = "TIME",
                converter = TimeArgument.class,
                description =
                        "Start at the first record at or after TIME: ISO-8601 (2026-11-29T07:00:00Z) or epoch ms (no --group).")
        Long time;
    }

    @Option(
            names = {"-p", "--partition"},
            paramLabel = "N",
            description = "Only these partitions; repeatable (no --group).")
    List<Integer> partitions = new ArrayList<>();

    @Option(
            names = {"-g", "--group"},
            paramLabel = "GROUP",
            description = "Consume as a member of this group and commit.")
    String group;

    @Option(
            names = {"-n", "--max-messages"},
            paramLabel = "N",
            description = "Stop after N records.")
    Long maxMessages;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Stop after MS milliseconds without a record.")
    Long timeoutMs;

    @Option(
            names = {"-f", "--format"},
            paramLabel = "FORMAT",
            converter = RecordFormat.Converter.class,
            description =
                    "kcat-style: %t topic, %p partition, %o offset, %k key, %v value, %T timestamp, %h headers, %K/%S lengths; \\n \\t. Default: %v\\n")
    RecordFormat format = RecordFormat.compile(RecordFormat.DEFAULT);

    @Override
    int run() throws Exception {
        if (group != null && (!partitions.isEmpty() || start.offset != null || start.time != null)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--partition, --offset and --from-time assign partitions and cannot go with --group");
        }
        if (maxMessages != null && maxMessages <= 0) {
            return 0;
        }
        Properties props = clientProperties();
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "brook-cli");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, start.beginning ? "earliest" : "latest");
        } else {
            props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        }
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Thread main = Thread.currentThread();
        Thread hook = new Thread(
                () -> {
                    consumer.wakeup();
                    try {
                        main.join(10_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "brook-consume-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (group != null) {
                consumer.subscribe(List.of(topic));
            } else {
                position(consumer);
            }
            consumeLoop(consumer);
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for this thread
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void position(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(CALL_TIMEOUT_SECONDS));
        if (infos == null || infos.isEmpty()) {
            throw new CliException("Topic '" + topic + "' does not exist");
        }
        List<TopicPartition> assigned = new ArrayList<>();
        for (PartitionInfo info : infos) {
            if (partitions.isEmpty() || partitions.contains(info.partition())) {
                assigned.add(new TopicPartition(topic, info.partition()));
            }
        }
        for (int p : partitions) {
            if (assigned.stream().noneMatch(tp -> tp.partition() == p)) {
                throw new CliException("topic '" + topic + "' has no partition " + p);
            }
        }
        consumer.assign(assigned);
        if (start.beginning || "earliest".equals(start.offset)) {
            consumer.seekToBeginning(assigned);
        } else if (start.offset != null && !"latest".equals(start.offset)) {
            long offset;
            try {
                offset = Long.parseLong(start.offset);
            } catch (NumberFormatException e) {
                throw new ParameterException(
                        spec.commandLine(), "--offset " + start.offset + ": give a number, earliest or latest");
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(assigned);
            // an offset past either end is clamped, as kafka-console-consumer's --offset is
            assigned.forEach(tp -> consumer.seek(tp, Math.max(begins.get(tp), Math.min(ends.get(tp), offset))));
        } else if (start.time != null) {
            Map<TopicPartition, Long> query = new HashMap<>();
            assigned.forEach(tp -> query.put(tp, start.time));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
            assigned.forEach(tp -> {
                OffsetAndTimestamp at = found.get(tp);
                consumer.seek(tp, at == null ? ends.get(tp) : at.offset());
            });
        } else {
            consumer.seekToEnd(assigned);
        }
    }

    private void consumeLoop(KafkaConsumer<byte[], byte[]> consumer) {
        long printed = 0;
        long lastRecordAt = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> toCommit = new LinkedHashMap<>();
        try {
            while (maxMessages == null || printed < maxMessages) {
                if (timeoutMs != null && System.nanoTime() - lastRecordAt > timeoutMs * 1_000_000L) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    print(record);
                    printed++;
                    lastRecordAt = System.nanoTime();
                    toCommit.put(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                    if (maxMessages != null && printed >= maxMessages) {
                        // the rest of the batch is left for the next consumer of the group
                        break;
                    }
                }
            }
        } catch (WakeupException stopping) {
            // Ctrl-C: commit what was printed and stop
        } finally {
            out().flush();
            if (group != null && !toCommit.isEmpty()) {
                consumer.commitSync(toCommit, Duration.ofSeconds(10));
            }
        }
    }

    private void print(ConsumerRecord<byte[], byte[]> record) {
        if (json()) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header h : record.headers()) {
                headers.put(h.key(), RecordFormat.text(h.value()));
            }
            Output.printJsonLine(
                    out(),
                    new ConsumedRecord(
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            record.timestamp(),
                            record.key() == null ? null : RecordFormat.text(record.key()),
                            record.value() == null ? null : RecordFormat.text(record.value()),
                            headers));
        } else {
            out().print(format.apply(record));
            out().flush();
        }
    }
}
