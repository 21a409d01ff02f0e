package io.brook.bench.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A load driver of the gateway, with the Kafka-protocol path measured in the same run for the
 * ratio. Scenarios, in this order (each on its own fresh topic, {@code --partitions} partitions):
 *
 * <table>
 *   <caption>Scenarios</caption>
 *   <tr><th>name</th><th>what</th><th>figure</th></tr>
 *   <tr><td>{@code kafka}</td><td>the Java producer (acks=all, lz4, linger 5 ms) for {@code --duration}</td>
 *       <td>records/s, MB/s</td></tr>
 *   <tr><td>{@code http-batch}</td><td>{@code POST .../records:batch} with 100 records each, {@code --connections}
 *       requests in flight, for {@code --duration}</td><td>records/s, ratio to {@code kafka}</td></tr>
 *   <tr><td>{@code http-stream}</td><td>one streaming produce ({@code POST .../records}, chunked, one record per
 *       line) of duration x 10,000 records</td><td>records/s</td></tr>
 *   <tr><td>{@code ws-consume}</td><td>the records of {@code kafka} read by one consume socket from the
 *       beginning, credits granted 1,000 at a time</td><td>records/s</td></tr>
 *   <tr><td>{@code latency}</td><td>the Java producer at {@code --rate} records/s for {@code --duration}, one
 *       consume socket reading them; each value carries its send time</td><td>p50, p99, max (ms)</td></tr>
 *   <tr><td>{@code sockets}</td><td>{@code --sockets} consume sockets opened and held for {@code --hold}, then
 *       one record produced to each partition</td><td>sockets open at the end, sockets that got it</td></tr>
 * </table>
 *
 * <p>Arguments ({@code --name=value}): {@code gateway} (http://localhost:8080), {@code bootstrap}
 * (localhost:9092), {@code duration} (seconds, 30), {@code record-size} (bytes, 100), {@code
 * partitions} (3), {@code connections} (8), {@code rate} (10000), {@code sockets} (1000), {@code
 * hold} (seconds, 120), {@code scenarios} (comma-separated, default all). Run it on a machine of
 * its own: the driver's CPU counts against the gateway's.
 */
public final class GatewayLoad {

    private final Map<String, String> args;
    private final String gateway;
    private final String bootstrap;
    private final int seconds;
    private final int recordSize;
    private final int partitions;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, String> results = new LinkedHashMap<>();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private String cluster;

    private GatewayLoad(Map<String, String> args) {
        this.args = args;
        this.gateway = args.getOrDefault("gateway", "http://localhost:8080");
        this.bootstrap = args.getOrDefault("bootstrap", "localhost:9092");
        this.seconds = Integer.parseInt(args.getOrDefault("duration", "30"));
        this.recordSize = Integer.parseInt(args.getOrDefault("record-size", "100"));
        this.partitions = Integer.parseInt(args.getOrDefault("partitions", "3"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            args.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        new GatewayLoad(args).runAll();
    }

    private void runAll() throws Exception {
        Set<String> chosen =
                Set.of(args.getOrDefault("scenarios", "kafka,http-batch,http-stream,ws-consume,latency,sockets")
                        .split(","));
        cluster = find(get("/v3/clusters"), "\"cluster_id\":\"([^\"]+)\"");
        System.out.printf(
                "gateway %s, bootstrap %s, %d s per scenario, %d-byte values, %d partitions%n",
                gateway, bootstrap, seconds, recordSize, partitions);
        double kafka = 0;
        long kafkaRecords = 0;
        String kafkaTopic = topic("kafka");
        if (chosen.contains("kafka") || chosen.contains("ws-consume")) {
            long[] r = kafkaProduce(kafkaTopic);
            kafkaRecords = r[0];
            kafka = r[0] * 1000.0 / r[1];
            report("kafka", "%.0f records/s, %.1f MB/s (%d records)", kafka, kafka * recordSize / 1e6, r[0]);
        }
        if (chosen.contains("http-batch")) {
            double batch = httpBatch(topic("http-batch"));
            report(
                    "http-batch",
                    "%.0f records/s, %.1f MB/s%s",
                    batch,
                    batch * recordSize / 1e6,
                    kafka > 0
                            ? String.format(", %.2f of the Kafka-protocol path (aim: 0.5 or more)", batch / kafka)
                            : "");
        }
        if (chosen.contains("http-stream")) {
            double stream = httpStream(topic("http-stream"));
            report("http-stream", "%.0f records/s", stream);
        }
        if (chosen.contains("ws-consume")) {
            double consume = wsConsume(kafkaTopic, kafkaRecords);
            report(
                    "ws-consume",
                    "%.0f records/s, %.1f MB/s (%d records)",
                    consume,
                    consume * recordSize / 1e6,
                    kafkaRecords);
        }
        if (chosen.contains("latency")) {
            latency(topic("latency"), Integer.parseInt(args.getOrDefault("rate", "10000")));
        }
        if (chosen.contains("sockets")) {
            sockets(
                    topic("sockets"),
                    Integer.parseInt(args.getOrDefault("sockets", "1000")),
                    Integer.parseInt(args.getOrDefault("hold", "120")));
        }
        System.out.println();
        System.out.println("summary");
        results.forEach((k, v) -> System.out.printf("  %-12s %s%n", k, v));
    }

    private void report(String name, String format, Object... values) {
        String line = String.format(format, values);
        results.put(name, line);
        System.out.printf("%-12s %s%n", name, line);
    }

    private String topic(String scenario) throws Exception {
        String name = "load-" + scenario + "-" + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        return name;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        65536,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private byte[] value() {
        byte[] value = new byte[recordSize];
        Arrays.fill(value, (byte) 'x');
        return value;
    }

    /** Records sent and milliseconds taken, all acknowledged. */
    private long[] kafkaProduce(String topic) throws Exception {
        byte[] value = value();
        long count = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            while (System.nanoTime() < end) {
                for (int i = 0; i < 1000; i++) {
                    producer.send(new ProducerRecord<>(topic, value));
                }
                count += 1000;
            }
            producer.flush();
        }
        return new long[] {count, Math.max(1, (System.nanoTime() - start) / 1_000_000)};
    }

    private double httpBatch(String topic) throws Exception {
        String data = "x".repeat(recordSize);
        StringBuilder body = new StringBuilder("{\"entries\": [");
        for (int i = 0; i < 100; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"id\": \"")
                    .append(i)
                    .append("\", \"value\": {\"type\": \"STRING\", \"data\": \"")
                    .append(data)
                    .append("\"}}");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + records(topic) + ":batch"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString()))
                .build();
        int connections = Integer.parseInt(args.getOrDefault("connections", "8"));
        Semaphore inFlight = new Semaphore(connections);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            inFlight.acquire();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                if (error == null
                        && response.statusCode() == 207
                        && !response.body().contains("\"error_code\"")) {
                    ok.addAndGet(100);
                } else {
                    failed.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(connections);
        long ms = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        if (failed.get() > 0) {
            System.out.println("http-batch: " + failed.get() + " requests failed");
        }
        return ok.get() * 1000.0 / ms;
    }

    private double httpStream(String topic) throws Exception {
        int count = seconds * 10_000;
        String line = "{\"value\": {\"type\": \"STRING\", \"data\": \"" + "x".repeat(recordSize) + "\"}}\n";
        List<byte[]> chunks = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (int i = 0; i < count; i++) {
            chunk.append(line);
            if (chunk.length() > 64 * 1024 || i == count - 1) {
                chunks.add(chunk.toString().getBytes(StandardCharsets.UTF_8));
                chunk.setLength(0);
            }
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + records(topic)))
                .header("Content-Type", "application/json")
                // No length: the client sends it chunked, as a stream.
                .POST(HttpRequest.BodyPublishers.ofByteArrays(chunks))
                .build();
        long start = System.nanoTime();
        HttpResponse<java.util.stream.Stream<String>> response =
                http.send(request, HttpResponse.BodyHandlers.ofLines());
        long acknowledged =
                response.body().filter(l -> l.contains("\"error_code\":200")).count();
        long ms = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        if (acknowledged != count) {
            System.out.println("http-stream: " + acknowledged + " of " + count + " acknowledged");
        }
        return acknowledged * 1000.0 / ms;
    }

    private double wsConsume(String topic, long expected) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        long start = System.nanoTime();
        WebSocket socket = socket(topic, "from=beginning&credits=1000", (ws, text) -> {
            long n = received.incrementAndGet();
            if (n % 1000 == 0) {
                ws.sendText("{\"type\":\"credit\",\"n\":1000}", true);
            }
            if (n >= expected) {
                done.countDown();
            }
        });
        if (!done.await(Math.max(60, seconds * 10L), TimeUnit.SECONDS)) {
            System.out.println("ws-consume: only " + received.get() + " of " + expected + " records");
        }
        long ms = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        socket.abort();
        return received.get() * 1000.0 / ms;
    }

    private void latency(String topic, int rate) throws Exception {
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        Pattern sent = Pattern.compile("\"data\":\"t(\\d+)");
        WebSocket socket = socket(topic, "from=end&credits=100000000", (ws, text) -> {
            Matcher m = sent.matcher(text);
            if (m.find()) {
                latencies.add(System.nanoTime() - Long.parseLong(m.group(1)));
            }
        });
        // Let the socket's consumer reach the end of the log before the first record.
        Thread.sleep(2000);
        long total = (long) rate * seconds;
        long interval = 1_000_000_000L / rate;
        String pad = "x".repeat(Math.max(0, recordSize - 20));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                long due = start + i * interval;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                producer.send(
                        new ProducerRecord<>(topic, ("t" + System.nanoTime() + pad).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (latencies.size() < total && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        socket.abort();
        List<Long> sorted;
        synchronized (latencies) {
            sorted = new ArrayList<>(latencies);
        }
        sorted.sort(null);
        if (sorted.isEmpty()) {
            report("latency", "no record received");
            return;
        }
        report(
                "latency",
                "%d records/s: p50 %.2f ms, p99 %.2f ms (aim: under 20), max %.2f ms, %d of %d received",
                rate,
                ms(sorted, 0.50),
                ms(sorted, 0.99),
                sorted.get(sorted.size() - 1) / 1e6,
                sorted.size(),
                total);
    }

    private static double ms(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size()))) / 1e6;
    }

    private void sockets(String topic, int count, int holdSeconds) throws Exception {
        List<WebSocket> open = new ArrayList<>();
        AtomicLong got = new AtomicLong();
        AtomicLong closed = new AtomicLong();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            open.add(socket(topic, "from=end&credits=10", (ws, text) -> got.incrementAndGet(), closed));
        }
        double openMs = (System.nanoTime() - start) / 1e6;
        System.out.printf("sockets      %d open in %.0f ms; holding %d s%n", count, openMs, holdSeconds);
        Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int p = 0; p < partitions; p++) {
                producer.send(new ProducerRecord<>(topic, p, null, "ping".getBytes(StandardCharsets.UTF_8)));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (got.get() < (long) count * partitions && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        report(
                "sockets",
                "%d opened in %.0f ms, held %d s, %d closed early, %d of %d records delivered after the hold",
                count,
                openMs,
                holdSeconds,
                closed.get(),
                got.get(),
                (long) count * partitions);
        open.forEach(WebSocket::abort);
    }

    private interface OnText {
        void text(WebSocket socket, String text);
    }

    private WebSocket socket(String topic, String query, OnText onText) throws Exception {
        return socket(topic, query, onText, new AtomicLong());
    }

    private WebSocket socket(String topic, String query, OnText onText, AtomicLong closed) throws Exception {
        String url = gateway.replaceFirst("^http", "ws") + "/v3/clusters/" + cluster + "/topics/" + topic
                + "/consume-socket?" + query;
        return http.newWebSocketBuilder()
                .buildAsync(URI.create(url), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            onText.text(ws, partial.toString());
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                        closed.incrementAndGet();
                        return CompletableFuture.completedFuture(null);
                    }
                })
                .get(60, TimeUnit.SECONDS);
    }

    private String records(String topic) {
        return "/v3/clusters/" + cluster + "/topics/" + topic + "/records";
    }

    private String get(String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(gateway + path)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("No " + regex + " in " + text);
        }
        return m.group(1);
    }
}
