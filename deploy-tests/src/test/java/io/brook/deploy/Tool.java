package io.brook.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool from a Debian package that a test runs ({@code promtool} and {@code
 * prometheus} from {@code prometheus}, {@code docker-compose}, {@code curl}; {@code .ci/run}
 * installs them).
 * Where the tool is not on the {@code PATH}, {@link #require} skips the test with the package to
 * install, so that a machine without it shows a skip, not a pass.
 *
 * <p>Threading: immutable; {@link #run} may be called from any thread.
 */
record Tool(String command, String debianPackage) {

    static final Tool PROMTOOL = new Tool("promtool", "prometheus");
    static final Tool PROMETHEUS = new Tool("prometheus", "prometheus");
    /** The images' HEALTHCHECK command, which ImageRuntimeIT runs as it is. */
    static final Tool CURL = new Tool("curl", "curl");

    static final Tool DOCKER_COMPOSE = new Tool("docker-compose", "docker-compose");

    /** 60 s: promtool and docker-compose answer in well under a second; a hang is a failure. */
    private static final long TIMEOUT_SECONDS = 60;

    /** What a run printed, standard output and error apart, and its exit code. */
    record Result(int exitCode, String out, String err) {

        String both() {
            return out + err;
        }
    }

    /** Skips the calling test (JUnit assumption) when the tool is not installed. */
    Tool require() {
        assumeTrue(
                installed(),
                () -> command + " is not installed: apt-get install " + debianPackage
                        + " (.ci/run does); this check is skipped");
        return this;
    }

    boolean installed() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Runs the tool with these arguments in {@code workDir} and waits for it. */
    Result run(Path workDir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(command);
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("tool-", ".out");
            Path err = Files.createTempFile("tool-", ".err");
            try {
                Process process = new ProcessBuilder(cmd)
                        .directory(workDir.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(
                            String.join(" ", cmd) + " did not finish in " + TIMEOUT_SECONDS + " s");
                }
                return new Result(
                        process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
