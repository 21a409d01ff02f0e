package io.brook.gateway.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's WebSocket sessions (run by {@link ReadmeCurlIT} after the curl examples, which
 * create the topic and set {@code $CLUSTER}), typed as written into the client they show ({@code python3 -m
 * websockets}, Debian's {@code python3-websockets}) against the running gateway and a real broker:
 * each {@code console} block of the "HTTP gateway" section is a {@code $} command (only the port
 * moved to the test gateway's, {@code $CLUSTER} set as the curl examples set it), {@code >} lines
 * typed into it, and {@code <} lines that it must print: a frame with the same fields, and the same
 * {@code context}, {@code type}, {@code topic_name}, {@code key} and {@code value} where the README
 * shows them (partitions, offsets and times vary from run to run). Then Ctrl-D (stdin closed) must
 * end the client cleanly.
 *
 * <p>Debian's Python modules live under {@code /usr/bin/python3}; a {@code python3} earlier on the
 * PATH may not have them, so {@code /usr/bin} goes first on the PATH the commands run with.
 */
final class ReadmeWebSocketSessions {

    /** Fields whose values the README's {@code <} lines fix; the others need only be present. */
    static final List<String> COMPARED = List.of("context", "type", "topic_name", "key", "value");

    static final Pattern ANSI = Pattern.compile("\u001b(\\[[0-9;]*[A-Za-z]|[78])");

    private final String cluster;
    private final int port;
    private final JsonMapper json;

    ReadmeWebSocketSessions(String cluster, int port, JsonMapper json) {
        this.cluster = cluster;
        this.port = port;
        this.json = json;
    }

    /** One {@code console} block: the command, the lines typed, the frames expected. */
    record Session(String command, List<String> typed, List<String> expected) {}

    static List<Session> readmeSessions() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int section = readme.indexOf("## HTTP gateway");
        int sectionEnd = readme.indexOf("\n## ", section + 1);
        List<Session> sessions = new ArrayList<>();
        int at = readme.indexOf("```console\n", section);
        while (at >= 0 && at < sectionEnd) {
            int start = at + "```console\n".length();
            int end = readme.indexOf("```", start);
            String command = null;
            List<String> typed = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (String line : readme.substring(start, end).lines().toList()) {
                if (line.startsWith("$ ")) {
                    assertThat(command).as("one command per session").isNull();
                    command = line.substring(2);
                } else if (line.startsWith("> ")) {
                    typed.add(line.substring(2));
                } else if (line.startsWith("< ")) {
                    expected.add(line.substring(2));
                }
            }
            sessions.add(new Session(command, typed, expected));
            at = readme.indexOf("```console\n", end + 3);
        }
        return sessions;
    }

    /** Runs every session of the README, in order; fails on the first that does not work as shown. */
    void runAll() throws Exception {
        List<Session> sessions = readmeSessions();
        assertThat(sessions).as("the README's produce and consume sessions").hasSize(2);
        assertThat(sessions.get(0).command()).contains("python3 -m websockets", "/produce-socket");
        assertThat(sessions.get(1).command()).contains("python3 -m websockets", "/consume-socket");
        for (Session session : sessions) {
            assertThat(session.expected()).as(session.command()).isNotEmpty();
            run(session);
        }
    }

    private void run(Session session) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", "-c", session.command().replace("localhost:8080", "localhost:" + port))
                .redirectErrorStream(true);
        builder.environment().put("CLUSTER", cluster);
        builder.environment().put("PATH", "/usr/bin:" + builder.environment().getOrDefault("PATH", "/bin"));
        Process client = builder.start();
        Output output = new Output(client.getInputStream());
        try {
            OutputStream stdin = client.getOutputStream();
            for (String line : session.typed()) {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            stdin.flush();
            await().atMost(Duration.ofSeconds(60))
                    .failFast("the client ended early", () -> !client.isAlive())
                    .untilAsserted(() -> {
                        List<JsonNode> frames = output.frames();
                        for (String expected : session.expected()) {
                            assertThat(frames)
                                    .as("a frame like %s in %s", expected, output.text())
                                    .anySatisfy(frame -> assertLike(frame, json.readTree(expected)));
                        }
                    });
            // Ctrl-D: the client closes the socket and ends.
            stdin.close();
            assertThat(client.waitFor(30, TimeUnit.SECONDS)).as(output.text()).isTrue();
            assertThat(client.exitValue()).as(output.text()).isZero();
            assertThat(output.text()).contains("Connected to ws://", "Connection closed");
        } finally {
            client.destroyForcibly();
        }
    }

    static void assertLike(JsonNode actual, JsonNode expected) {
        Set<String> expectedFields = new HashSet<>(expected.propertyNames());
        assertThat(new HashSet<>(actual.propertyNames())).isEqualTo(expectedFields);
        for (String field : COMPARED) {
            if (expected.has(field)) {
                assertThat(actual.get(field)).as(field).isEqualTo(expected.get(field));
            }
        }
    }

    /** What the client printed, read on a thread of its own so that the client never blocks on it. */
    private final class Output {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Output(InputStream in) {
            Thread reader = new Thread(
                    () -> {
                        byte[] buffer = new byte[8192];
                        try {
                            for (int n; (n = in.read(buffer)) > 0; ) {
                                synchronized (bytes) {
                                    bytes.write(buffer, 0, n);
                                }
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    "websocket-client-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** The text printed, without the client's terminal escapes (it redraws its prompt). */
        String text() {
            synchronized (bytes) {
                return ANSI.matcher(bytes.toString(StandardCharsets.UTF_8)).replaceAll("");
            }
        }

        /** The frames received so far: the lines after {@code <}. */
        List<JsonNode> frames() {
            List<JsonNode> frames = new ArrayList<>();
            for (String line : text().lines().toList()) {
                int at = line.indexOf("< ");
                if (at >= 0 && line.substring(at + 2).startsWith("{")) {
                    frames.add(json.readTree(line.substring(at + 2)));
                }
            }
            return frames;
        }
    }
}
