package io.brook.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code brook produce TOPIC}: one record per line of standard input, as {@code
 * kafka-console-producer.sh} (with {@code --key-separator}: {@code parse.key=true
 * key.separator=...}) and {@code kcat -P -K}. Records are sent as they are read and the producer
 * is flushed at the end of input; the command waits for every acknowledgement and fails (status
 * 1) on the first refused record, naming its line. Prints how many records went to which
 * partitions.
 */
@Command(
        name = "produce",
        description = "Produce the lines of standard input as records.",
        mixinStandardHelpOptions = true)
final class ProduceCommand extends ClusterCommand {

    record Produced(String topic, int records, Map<Integer, Long> lastOffsets) {}

    @Parameters(paramLabel = "TOPIC", description = "The topic.")
    String topic;

    @Option(
            names = {"-k", "--key-separator"},
            paramLabel = "SEP",
            description = "Split each line at the first SEP into key and value; a line without it fails.")
    String keySeparator;

    @Option(
            names = {"-H", "--header"},
            paramLabel = "KEY=VALUE",
            description = "A header on every record; repeatable.")
    List<String> headers = new ArrayList<>();

    @Option(
            names = {"-p", "--partition"},
            paramLabel = "N",
            description = "Send to this partition (default: by key, or sticky).")
    Integer partition;

    @Option(names = "--acks", paramLabel = "ACKS", description = "all (default), 1 or 0.")
    String acks = "all";

    @Option(
            names = {"-z", "--compression"},
            paramLabel = "CODEC",
            description = "none (default), gzip, snappy, lz4 or zstd.")
    String compression = "none";

    @Override
    int run() throws Exception {
        List<Header> recordHeaders = new ArrayList<>();
        for (String header : headers) {
            int eq = header.indexOf('=');
            if (eq <= 0) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--header " + header + ": give KEY=VALUE");
            }
            recordHeaders.add(new RecordHeader(
                    header.substring(0, eq), header.substring(eq + 1).getBytes(StandardCharsets.UTF_8)));
        }
        Properties props = clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, acks);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "brook-cli");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(CALL_TIMEOUT_SECONDS * 1000));
        if (!"all".equals(acks) && !"-1".equals(acks)) {
            // idempotence needs acks=all; without it the producer would refuse to start
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
                BufferedReader input = new BufferedReader(new InputStreamReader(root().in(), StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = input.readLine()) != null) {
                number++;
                byte[] key = null;
                String value = line;
                if (keySeparator != null) {
                    int at = line.indexOf(keySeparator);
                    if (at < 0) {
                        throw new CliException("line " + number + " has no key separator '" + keySeparator + "'; "
                                + sent.size() + " record(s) before it were sent");
                    }
                    key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
                    value = line.substring(at + keySeparator.length());
                }
                sent.add(producer.send(new ProducerRecord<>(
                        topic, partition, key, value.getBytes(StandardCharsets.UTF_8), recordHeaders)));
                lines.add(number);
            }
            producer.flush();
            Map<Integer, Long> lastOffsets = new TreeMap<>();
            for (int i = 0; i < sent.size(); i++) {
                try {
                    RecordMetadata metadata = sent.get(i).get();
                    lastOffsets.merge(metadata.partition(), metadata.offset(), Math::max);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new CliException("line " + lines.get(i) + " was not produced: "
                            + BrookCli.message(BrookCli.unwrap(e)) + " (" + i + " record(s) before it were)");
                }
            }
            Produced produced = new Produced(topic, sent.size(), new LinkedHashMap<>(lastOffsets));
            if (json()) {
                Output.printJson(out(), produced);
            } else {
                out().println("Produced " + sent.size() + " record(s) to " + topic
                        + (lastOffsets.isEmpty()
                                ? ""
                                : " (last offset per partition: "
                                        + String.join(
                                                ", ",
                                                lastOffsets.entrySet().stream()
                                                        .map(e -> e.getKey() + "=" + e.getValue())
                                                        .toList())
                                        + ")"));
                out().flush();
            }
            return 0;
        }
    }
}
