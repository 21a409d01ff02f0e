package io.brook.gateway.testkit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a test's failure, saves what every thread was doing: this JVM's (the gateway under test and
 * its clients) and the shared broker's, when it runs. A request that is never answered (a
 * WebTestClient "Timeout on blocking read") leaves no trace otherwise. The dumps go to {@code
 * target/thread-dumps/}, one file per failed test, with the broker's output so far beside it; the
 * failure is rethrown unchanged.
 */
public final class ThreadDumpOnFailure implements TestExecutionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadDumpOnFailure.class);

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        try {
            Path dir = Files.createDirectories(Path.of("target", "thread-dumps"));
            Path file = dir.resolve(context.getRequiredTestClass().getSimpleName() + "."
                    + context.getRequiredTestMethod().getName() + ".txt");
            StringBuilder out = new StringBuilder()
                    .append("Failure at ")
                    .append(Instant.now())
                    .append(": ")
                    .append(failure)
                    .append("\n\n== test JVM ==\n");
            for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
                out.append(format(info));
            }
            BrokerProcess broker = BrokerProcess.sharedIfStarted();
            if (broker != null) {
                out.append("\n== broker (pid ").append(broker.pid()).append(") ==\n");
                out.append(jcmdThreadPrint(broker.pid()));
                Files.writeString(
                        dir.resolve(file.getFileName().toString().replace(".txt", ".broker.out")), broker.output());
            }
            Files.writeString(file, out);
            LOG.error("{} failed; thread dumps in {}", context.getDisplayName(), file.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not save thread dumps: {}", e.toString());
        }
        throw failure;
    }

    /** ThreadInfo.toString cuts stacks at eight frames; a hang needs the whole stack. */
    private static String format(ThreadInfo info) {
        StringBuilder s = new StringBuilder()
                .append('"')
                .append(info.getThreadName())
                .append("\" ")
                .append(info.getThreadState());
        if (info.getLockName() != null) {
            s.append(" on ").append(info.getLockName());
        }
        if (info.getLockOwnerName() != null) {
            s.append(" owned by \"").append(info.getLockOwnerName()).append('"');
        }
        s.append('\n');
        for (StackTraceElement frame : info.getStackTrace()) {
            s.append("\tat ").append(frame).append('\n');
        }
        return s.append('\n').toString();
    }

    private static String jcmdThreadPrint(long pid) {
        Path jcmd = ProcessHandle.current()
                .info()
                .command()
                .map(java -> Path.of(java).resolveSibling("jcmd"))
                .orElse(Path.of("jcmd"));
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true)
                    .start();
            byte[] output = p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
            return new String(output);
        } catch (IOException e) {
            return "jcmd failed: " + e + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted\n";
        }
    }
}
