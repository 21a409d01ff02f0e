package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.broker.protocol.handlers.fetch.FetchSessionCache;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A broker started for real (the Spring Boot application, on free ports, on a real embedded
 * ZooKeeper) used by unchanged clients: the official Java producer and consumer, kcat (librdkafka)
 * and kafka-python running the seed's example.
 */
class RealClientsIT {

    @TempDir
    static Path tmp;

    static TestCluster cluster;
    static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(tmp, 1, "--brook.broker.num-partitions=3");
        broker = cluster.broker(1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.putAll(extra);
        return new KafkaProducer<>(config);
    }

    static KafkaConsumer<String, String> consumer(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putAll(extra);
        return new KafkaConsumer<>(config);
    }

    /**
     * Creates {@code topic} and waits until every partition's leader serves it: ListOffsets is
     * answered by the leader's replica only, and the admin client retries it while the answer is
     * NOT_LEADER_OR_FOLLOWER or LEADER_NOT_AVAILABLE.
     */
    static void createAndAwaitLeaders(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Reads every partition of {@code topic} from the start until {@code expected} records came. */
    static List<ConsumerRecord<String, String>> readAll(String topic, int partitions, int expected) {
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(Map.of())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() >= expected;
            });
        }
        return seen;
    }

    @ParameterizedTest(name = "acks={0} compression={1}")
    @CsvSource({"0,none", "1,gzip", "all,snappy", "all,lz4", "1,zstd"})
    void theJavaProducerWritesWithEveryAckModeAndCodecAndTheConsumerReadsItBack(String acks, String compression)
            throws Exception {
        String topic = "java-" + acks + "-" + compression;
        int count = 300;
        boolean idempotent = !acks.equals("0") && !acks.equals("1");
        if (!idempotent) {
            // With acks=all (idempotent) the producer creates the topic on its first send and
            // retries, in order, until the leader serves it. Sent without idempotence, records
            // that reach the broker after the metadata names the leader but before that broker
            // has taken the leadership are refused with NOT_LEADER_OR_FOLLOWER: with acks=0 the
            // broker can only close the connection and they are lost (the producer never hears
            // of them), with acks=1 their retry may land behind later batches. Kafka behaves the
            // same; so the test, like such an application, waits for the leaders first.
            createAndAwaitLeaders(topic, 3);
        }
        Map<TopicPartition, List<Long>> offsetsByPartition = new HashMap<>();
        try (KafkaProducer<String, String> producer = producer(Map.of(
                ProducerConfig.ACKS_CONFIG,
                acks,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                compression,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                idempotent,
                ProducerConfig.LINGER_MS_CONFIG,
                5))) {
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, "key-" + (i % 10), "value-" + i)));
            }
            for (var future : sent) {
                RecordMetadata metadata = future.get(30, TimeUnit.SECONDS);
                offsetsByPartition
                        .computeIfAbsent(new TopicPartition(topic, metadata.partition()), k -> new ArrayList<>())
                        .add(metadata.offset());
            }
        }
        List<ConsumerRecord<String, String>> records = readAll(topic, 3, count);
        assertThat(records).hasSize(count);
        // Same key, same partition; order per partition as sent.
        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<Integer, Integer> lastIndex = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            assertThat(partitionOfKey.computeIfAbsent(r.key(), k -> r.partition()))
                    .isEqualTo(r.partition());
            int index = Integer.parseInt(r.value().substring("value-".length()));
            assertThat(index).isGreaterThan(lastIndex.getOrDefault(r.partition(), -1));
            lastIndex.put(r.partition(), index);
        }
        if (!acks.equals("0")) {
            // Acknowledged offsets are consecutive within each partition.
            offsetsByPartition
                    .values()
                    .forEach(list -> assertThat(list).isSorted().doesNotHaveDuplicates());
        }
    }

    @Test
    void kcatProducesAndConsumesWithKeys() throws Exception {
        String topic = "kcat-topic";
        Process produce = new ProcessBuilder("kcat", "-b", broker.bootstrap(), "-t", topic, "-P", "-K:")
                .redirectErrorStream(true)
                .start();
        try (var out = produce.getOutputStream()) {
            for (int i = 0; i < 20; i++) {
                out.write(("k" + (i % 4) + ":v" + i + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(produce.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(produce.exitValue()).isZero();

        Process consume = new ProcessBuilder(
                        "kcat",
                        "-b",
                        broker.bootstrap(),
                        "-t",
                        topic,
                        "-C",
                        "-e",
                        "-o",
                        "beginning",
                        "-f",
                        "%k %s %p\\n")
                .redirectErrorStream(false)
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(consume.getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(lines::add);
        }
        assertThat(consume.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(lines).hasSize(20);
        Map<String, String> partitionOfKey = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            assertThat(partitionOfKey.computeIfAbsent(parts[0], k -> parts[2])).isEqualTo(parts[2]);
        }
        // librdkafka hashes keys with CRC32 and the Java client with murmur2: "same key, same
        // partition" holds within each client, which is what Kafka promises too.
    }

    @Test
    void kafkaPythonRunsTheSeedExampleUnchangedButThePort() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("python"));
        String port = String.valueOf(broker.port);
        Path consumerScript = dir.resolve("consumer.py");
        Files.writeString(consumerScript, """
                import json
                from kafka import KafkaConsumer

                consumer = KafkaConsumer('topic_name', bootstrap_servers='localhost:PORT', value_deserializer=lambda m: json.loads(m.decode('utf-8')))

                for message in consumer:
                    print(message.value, flush=True)
                """.replace("PORT", port));
        Path producerScript = dir.resolve("producer.py");
        Files.writeString(producerScript, """
                import json
                from kafka import KafkaProducer

                producer = KafkaProducer(bootstrap_servers='localhost:PORT', value_serializer=lambda v: json.dumps(v).encode('utf-8'))

                data = {'key': 'value'}
                future = producer.send('topic_name', data)
                future.get()
                """.replace("PORT", port));
        Process consumer = new ProcessBuilder("/usr/bin/python3", consumerScript.toString())
                .redirectError(dir.resolve("consumer.err").toFile())
                .start();
        ConcurrentLinkedQueue<String> printed = new ConcurrentLinkedQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(consumer.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(printed::add);
            } catch (java.io.IOException e) {
                // the process was stopped
            }
        });
        reader.start();
        try {
            // The seed's consumer starts at the end of the topic (auto_offset_reset 'latest'): keep
            // producing until it has joined and printed one, as a person running the two would.
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        Process producer = new ProcessBuilder("/usr/bin/python3", producerScript.toString())
                                .redirectErrorStream(true)
                                .start();
                        producer.getInputStream().readAllBytes();
                        assertThat(producer.waitFor(60, TimeUnit.SECONDS)).isTrue();
                        assertThat(producer.exitValue()).isZero();
                        return !printed.isEmpty();
                    });
            assertThat(printed).allMatch(line -> line.equals("{'key': 'value'}"));
        } finally {
            consumer.destroy();
            consumer.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The official consumer opens an incremental fetch session and keeps it over 20 partitions
     * that receive records at different times; every record arrives once, in order per partition,
     * also across a consumer restart in the middle (committed offsets, a new session).
     */
    @Test
    void theJavaConsumerFetchesIncrementallyOverManyPartitionsAndAcrossARestart() throws Exception {
        String topic = "sessions-20";
        int partitions = 20;
        int rounds = 60;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        FetchSessionCache sessions = broker.bean(FetchSessionCache.class);
        FetchSessionCache.Stats before = sessions.stats();

        // Each round writes to a third of the partitions, so most fetches have news for a few
        // partitions only: what incremental responses leave out.
        int expected = 0;
        for (int round = 0; round < rounds; round++) {
            for (int p = 0; p < partitions; p++) {
                expected += (p + round) % 3 == 0 ? 1 : 0;
            }
        }
        AtomicReference<Exception> producerFailure = new AtomicReference<>();
        java.util.concurrent.CountDownLatch consuming = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger consumed = new java.util.concurrent.atomic.AtomicInteger();
        Thread producing = new Thread(() -> {
            Map<Integer, Integer> next = new HashMap<>();
            int produced = 0;
            try (KafkaProducer<String, String> producer = producer(Map.of())) {
                for (int round = 0; round < rounds; round++) {
                    for (int p = 0; p < partitions; p++) {
                        if ((p + round) % 3 == 0) {
                            int seq = next.merge(p, 1, Integer::sum) - 1;
                            producer.send(new ProducerRecord<>(topic, p, null, p + ":" + seq));
                            produced++;
                        }
                    }
                    producer.flush();
                    if (round == 9) {
                        consuming.await(60, TimeUnit.SECONDS);
                    }
                    if (round >= 9) {
                        // The rest in lockstep with the consumers: each round arrives while they
                        // fetch, so their sessions see a few changed partitions at a time.
                        int upTo = produced;
                        await().atMost(Duration.ofSeconds(60)).until(() -> consumed.get() >= upTo);
                    }
                }
            } catch (Exception e) {
                producerFailure.set(e);
            }
        });
        producing.start();

        Map<Integer, List<Integer>> seen = new HashMap<>();
        Map<String, Object> group = Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "sessions-group", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        int total = expected;
        // First consumer: about half, committing after each poll, then gone.
        try (KafkaConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                record(consumer.poll(Duration.ofMillis(200)), seen);
                consumer.commitSync();
                consumed.set(count(seen));
                if (!seen.isEmpty()) {
                    consuming.countDown();
                }
                return count(seen) >= total / 2;
            });
        }
        // Second consumer of the group: resumes at the committed offsets with a session of its own.
        try (KafkaConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                record(consumer.poll(Duration.ofMillis(200)), seen);
                consumer.commitSync();
                consumed.set(count(seen));
                return count(seen) >= total;
            });
            // Nothing more arrives: no duplicates hiding behind the count.
            record(consumer.poll(Duration.ofMillis(500)), seen);
        }
        producing.join(30_000);
        assertThat(producerFailure.get()).isNull();

        assertThat(seen).hasSize(partitions);
        seen.forEach((p, sequence) -> {
            int written = 0;
            for (int round = 0; round < rounds; round++) {
                written += (p + round) % 3 == 0 ? 1 : 0;
            }
            assertThat(sequence)
                    .as("partition %d", p)
                    .isEqualTo(
                            java.util.stream.IntStream.range(0, written).boxed().toList());
        });
        FetchSessionCache.Stats after = sessions.stats();
        // Two consumers, a session each (or more, if one was closed and reopened); some 50 rounds
        // arrived while they fetched, so many of their fetches were incremental.
        assertThat(after.created() - before.created()).isGreaterThanOrEqualTo(2);
        assertThat(after.incrementalFetches() - before.incrementalFetches()).isGreaterThan(10);
        // Each consumer closed its session when it closed (a fetch at epoch -1).
        await().atMost(Duration.ofSeconds(10)).until(() -> sessions.size() <= before.sessions());
    }

    private static void record(Iterable<ConsumerRecord<String, String>> records, Map<Integer, List<Integer>> seen) {
        for (ConsumerRecord<String, String> r : records) {
            String[] parts = r.value().split(":");
            assertThat(Integer.parseInt(parts[0])).isEqualTo(r.partition());
            seen.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
    }

    private static int count(Map<Integer, List<Integer>> seen) {
        return seen.values().stream().mapToInt(List::size).sum();
    }
}
