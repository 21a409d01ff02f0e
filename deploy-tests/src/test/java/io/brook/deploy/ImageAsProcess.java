package io.brook.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Dockerfile's runtime stage run as a plain process, for machines without a Docker engine: its
 * exec-form {@code ENTRYPOINT}, its {@code ENV}, its {@code WORKDIR} and {@code VOLUME}s, and its
 * {@code HEALTHCHECK} command, all taken from the file, with the container's filesystem stood in
 * for by a folder ({@code /var/lib/brook} becomes {@code <root>/var/lib/brook}, in the variables
 * too) and the files the build stage would have copied given as host paths. What differs from
 * the container is only what a shared test machine needs: ports, and binding to loopback, given
 * as further variables ({@code overrides}), and the HTTP port of the health check moved with
 * them. So the image's configuration (variable names that bind, JVM options that parse, the
 * entry point, the health check's URL) is tested by the process it starts.
 *
 * <p>Threading: one test thread.
 */
final class ImageAsProcess implements AutoCloseable {

    /** A broker's controlled shutdown waits up to 30 s for leaderships to move; then it stops. */
    private static final long STOP_SECONDS = 60;

    private final Dockerfile.Stage runtime;
    private final Path fsRoot;
    private final Map<String, Path> files;
    private final Map<String, String> overrides;
    private final int imageHttpPort;
    private final int httpPort;
    private final Path log;
    private Process process;

    /**
     * @param runtime the Dockerfile's last stage
     * @param fsRoot the folder standing in for the container's /
     * @param files container paths of the files COPY put there, and where they are on this host
     * @param overrides variables set on top of the image's ENV (ports, bind addresses)
     * @param imageHttpPort the HTTP port in the image's HEALTHCHECK
     * @param httpPort the HTTP port of this process (in {@code overrides} as SERVER_PORT)
     */
    ImageAsProcess(
            Dockerfile.Stage runtime,
            Path fsRoot,
            Map<String, Path> files,
            Map<String, String> overrides,
            int imageHttpPort,
            int httpPort) {
        this.runtime = runtime;
        this.fsRoot = fsRoot;
        this.files = files;
        this.overrides = overrides;
        this.imageHttpPort = imageHttpPort;
        this.httpPort = httpPort;
        this.log = fsRoot.resolve("process.log");
    }

    /** A container path under the stand-in root. */
    Path path(String containerPath) {
        return fsRoot.resolve(containerPath.substring(1));
    }

    /** The ENV of the image, container paths moved under the stand-in root, then the overrides. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        runtime.env()
                .forEach((name, value) ->
                        env.put(name, value.startsWith("/") ? path(value).toString() : value));
        env.putAll(overrides);
        return env;
    }

    List<String> command() {
        String entrypoint = runtime.last("ENTRYPOINT").orElseThrow(() -> new IllegalStateException("no ENTRYPOINT"));
        List<String> command = new ArrayList<>();
        for (Object arg : JsonMapper.builder().build().readValue(entrypoint, List.class)) {
            String a = arg.toString();
            if (a.equals("java")) {
                command.add(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
            } else {
                command.add(files.containsKey(a) ? files.get(a).toString() : a);
            }
        }
        return command;
    }

    void start() {
        try {
            for (String volume : runtime.all("VOLUME")) {
                Files.createDirectories(path(volume));
            }
            Path workdir = path(runtime.last("WORKDIR").orElse("/"));
            Files.createDirectories(workdir);
            ProcessBuilder builder = new ProcessBuilder(command())
                    .directory(workdir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the image's HEALTHCHECK command (its CMD form, with {@code sh -c} as Docker does) and
     * says whether it passed; throws if the process has died meanwhile, with its log's tail.
     */
    boolean healthy() {
        if (!process.isAlive()) {
            throw new IllegalStateException("exited with " + process.exitValue() + ":\n" + logTail());
        }
        String healthcheck = runtime.last("HEALTHCHECK").orElseThrow(() -> new IllegalStateException("no HEALTHCHECK"));
        String cmd = healthcheck
                .substring(healthcheck.indexOf("CMD ") + "CMD ".length())
                .replace(":" + imageHttpPort + "/", ":" + httpPort + "/");
        try {
            Process check = new ProcessBuilder("sh", "-c", cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return check.waitFor(10, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until {@link #healthy}; on timeout fails with the process's log tail. */
    void awaitHealthy(Duration atMost) {
        try {
            Awaitility.await("the image's HEALTHCHECK")
                    .atMost(atMost)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(this::healthy);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("HEALTHCHECK not passing after " + atMost + ":\n" + logTail(), e);
        }
    }

    /** SIGTERM, as {@code docker stop} sends (the image's STOPSIGNAL); the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("still running " + STOP_SECONDS + " s after SIGTERM:\n" + logTail());
        }
        return process.exitValue();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logTail() {
        String text = log();
        return text.substring(Math.max(0, text.length() - 4000));
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
