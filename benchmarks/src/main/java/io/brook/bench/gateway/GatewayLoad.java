package io.brook.bench.gateway;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
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
 * hold} (seconds, 120), {@code warmup} (seconds of the latency scenario not counted, 0), {@code values} ({@code repeated} or {@code random}, see {@link #values}),
 * {@code scenarios} (comma-separated, default all). Run it on a machine of
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
                "gateway %s, bootstrap %s, %d s per scenario, %d-byte values (%s), %d partitions%n",
                gateway, bootstrap, seconds, recordSize, args.getOrDefault("values", "repeated"), partitions);
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

    /**
     * The values the throughput scenarios send, in turn: {@code --values=repeated} (the default)
     * one value of x's; {@code random} 4,096 values of random letters and digits, more than lz4's
     * 64 KB window holds, so that the producers' compression finds nothing to take out and the
     * brokers write every byte (with repeated values a batch of 64 KB compresses to a few hundred
     * bytes, and the Kafka-protocol path barely touches the brokers).
     */
    private List<String> values() {
        if (!"random".equals(args.getOrDefault("values", "repeated"))) {
            return List.of("x".repeat(recordSize));
        }
        String letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        java.util.Random random = new java.util.Random(42);
        List<String> values = new ArrayList<>(4096);
        for (int i = 0; i < 4096; i++) {
            char[] value = new char[recordSize];
            for (int j = 0; j < recordSize; j++) {
                value[j] = letters.charAt(random.nextInt(letters.length()));
            }
            values.add(new String(value));
        }
        return values;
    }

    /** Records sent and milliseconds taken, all acknowledged. */
    private long[] kafkaProduce(String topic) throws Exception {
        List<byte[]> values =
                values().stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList();
        long count = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            while (System.nanoTime() < end) {
                for (int i = 0; i < 1000; i++) {
                    producer.send(new ProducerRecord<>(topic, values.get((int) ((count + i) % values.size()))));
                }
                count += 1000;
            }
            producer.flush();
        }
        return new long[] {count, Math.max(1, (System.nanoTime() - start) / 1_000_000)};
    }

    private double httpBatch(String topic) throws Exception {
        // Bodies of 100 records each; with random values, as many bodies as the values fill.
        List<String> values = values();
        List<HttpRequest> requests = new ArrayList<>();
        for (int first = 0; first < values.size(); first += 100) {
            StringBuilder body = new StringBuilder("{\"entries\": [");
            for (int i = 0; i < 100; i++) {
                body.append(i == 0 ? "" : ",")
                        .append("{\"id\": \"")
                        .append(i)
                        .append("\", \"value\": {\"type\": \"STRING\", \"data\": \"")
                        .append(values.get((first + i) % values.size()))
                        .append("\"}}");
            }
            requests.add(HttpRequest.newBuilder(URI.create(gateway + records(topic) + ":batch"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString()))
                    .build());
        }
        int connections = Integer.parseInt(args.getOrDefault("connections", "8"));
        Semaphore inFlight = new Semaphore(connections);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (long sent = 0; System.nanoTime() < end; sent++) {
            inFlight.acquire();
            http.sendAsync(requests.get((int) (sent % requests.size())), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
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

    /**
     * One streaming produce over a plain socket: the JDK's HttpClient reads an HTTP/1.1 response
     * only once it has sent the whole body, but the gateway answers each record as it is
     * acknowledged, so once the socket buffers hold a few MB of reports (about 20,000 records)
     * neither side moves. Here one thread writes the chunked body while this one reads the reports.
     */
    private double httpStream(String topic) throws Exception {
        int count = seconds * 10_000;
        byte[] line = ("{\"value\": {\"type\": \"STRING\", \"data\": \"" + "x".repeat(recordSize) + "\"}}\n")
                .getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(gateway);
        long start = System.nanoTime();
        long acknowledged;
        try (Socket socket = new Socket(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort())) {
            socket.setTcpNoDelay(true);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 128 * 1024);
            AtomicReference<Exception> writeError = new AtomicReference<>();
            Thread writer = new Thread(
                    () -> {
                        try {
                            out.write(("POST " + records(topic) + " HTTP/1.1\r\nHost: " + uri.getAuthority()
                                            + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                                            + "Connection: close\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                            int perChunk = Math.max(1, 64 * 1024 / line.length);
                            for (int sent = 0; sent < count; sent += perChunk) {
                                int n = Math.min(perChunk, count - sent);
                                out.write((Integer.toHexString(n * line.length) + "\r\n")
                                        .getBytes(StandardCharsets.US_ASCII));
                                for (int i = 0; i < n; i++) {
                                    out.write(line);
                                }
                                out.write(CRLF);
                            }
                            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        } catch (Exception e) {
                            writeError.set(e);
                        }
                    },
                    "http-stream-writer");
            writer.start();
            acknowledged = countReports(new BufferedInputStream(socket.getInputStream(), 128 * 1024));
            writer.join();
            if (writeError.get() != null) {
                System.out.println("http-stream: sending failed: " + writeError.get());
            }
        }
        long ms = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        if (acknowledged != count) {
            System.out.println("http-stream: " + acknowledged + " of " + count + " acknowledged");
        }
        return acknowledged * 1000.0 / ms;
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** Reads an HTTP/1.1 response (chunked or with a length) and counts its lines that report a success. */
    private static long countReports(InputStream in) throws Exception {
        String status = readLine(in);
        if (!status.startsWith("HTTP/1.1 200")) {
            System.out.println("http-stream: " + status);
        }
        boolean chunked = false;
        long length = -1;
        for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
            String lower = header.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("content-length:")) {
                length = Long.parseLong(
                        lower.substring("content-length:".length()).trim());
            }
        }
        Reports reports = new Reports();
        if (!chunked) {
            for (long i = 0; length < 0 || i < length; i++) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                reports.accept(b);
            }
            return reports.successes;
        }
        while (true) {
            String size = readLine(in);
            int semicolon = size.indexOf(';');
            long n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                return reports.successes;
            }
            for (long i = 0; i < n; i++) {
                int b = in.read();
                if (b < 0) {
                    return reports.successes;
                }
                reports.accept(b);
            }
            readLine(in);
        }
    }

    /** Splits a response body into lines and counts those with {@code "error_code":200}. */
    private static final class Reports {
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        private long successes;

        void accept(int b) {
            if (b != '\n') {
                line.write(b);
                return;
            }
            if (line.toString(StandardCharsets.UTF_8).contains("\"error_code\":200")) {
                successes++;
            }
            line.reset();
        }
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
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
        // --warmup seconds of records go first, at the same rate, and are not counted: the figure
        // is then the steady state, not the JIT compiling the path (0 by default: cold included).
        long warmup = (long) rate * Integer.parseInt(args.getOrDefault("warmup", "0"));
        long total = warmup + (long) rate * seconds;
        // Written by the socket's listener alone (one frame at a time), read once the count says so.
        long[] latencies = new long[(int) total];
        AtomicInteger received = new AtomicInteger();
        Pattern sent = Pattern.compile("\"data\":\"t(\\d+)");
        // Credits as a client that keeps up grants them: 1,000 ahead, topped up every 500 records.
        // (Granting millions at once tells the gateway to push whatever it has: a hiccup of the
        // client longer than 1,000 frames, 100 ms at 10,000/s, then closes the socket with 1013.)
        WebSocket socket = socket(topic, "from=end&credits=1000", (ws, text) -> {
            Matcher m = sent.matcher(text);
            int n = received.get();
            if (m.find() && n < latencies.length) {
                latencies[n] = System.nanoTime() - Long.parseLong(m.group(1));
                received.set(n + 1);
                if ((n + 1) % 500 == 0) {
                    ws.sendText("{\"type\":\"credit\",\"n\":500}", true);
                }
            }
        });
        // Let the socket's consumer reach the end of the log before the first record.
        Thread.sleep(2000);
        long interval = 1_000_000_000L / rate;
        String pad = "x".repeat(Math.max(0, recordSize - 20));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                // Parked, not spun, until the record is due: on a small machine a spinning sender
                // takes a core from the brokers and the gateway it measures. A late wake-up only
                // sends the next records back to back; each carries its actual send time.
                long wait = start + i * interval - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                producer.send(
                        new ProducerRecord<>(topic, ("t" + System.nanoTime() + pad).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get() < total && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        socket.abort();
        int count = received.get() - (int) Math.min(warmup, received.get());
        if (count == 0) {
            report("latency", "no record received");
            return;
        }
        long[] sorted = Arrays.copyOfRange(latencies, (int) warmup, (int) warmup + count);
        Arrays.sort(sorted);
        report(
                "latency",
                "%d records/s: p50 %.2f ms, p99 %.2f ms (aim: under 20), max %.2f ms, %d of %d received",
                rate,
                ms(sorted, 0.50),
                ms(sorted, 0.99),
                sorted[count - 1] / 1e6,
                count,
                total - warmup);
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
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
                    public void onOpen(WebSocket ws) {
                        // Every frame wanted at once (the gateway's credits are the flow control):
                        // asking for one frame at a time hands each over between the client's
                        // threads, and a cold client then reads slower than 10,000 frames a second.
                        ws.request(Long.MAX_VALUE);
                    }

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            onText.text(ws, partial.toString());
                            partial.setLength(0);
                        }
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
