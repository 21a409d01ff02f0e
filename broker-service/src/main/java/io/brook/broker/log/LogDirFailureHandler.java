package io.brook.broker.log;

import java.io.File;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place every disk error goes. Callers report the {@link IOException} with the partition
 * directory it hit; the handler logs it once, remembers the directory, and tells its listener (the
 * broker, from the next issue on, marks the partitions offline and informs the controller). The
 * log itself decides whether it stayed consistent: a failed append that could be rolled back
 * leaves the log usable, one that could not takes the log offline.
 *
 * <p>Thread-safe.
 */
public class LogDirFailureHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LogDirFailureHandler.class);

    /** Told about each failure. */
    @FunctionalInterface
    public interface Listener {
        void onFailure(File dir, String message, IOException cause);
    }

    private final Set<File> failedDirs = ConcurrentHashMap.newKeySet();
    private final Listener listener;

    public LogDirFailureHandler() {
        this((dir, message, cause) -> {});
    }

    public LogDirFailureHandler(Listener listener) {
        this.listener = listener;
    }

    public void handle(File dir, String message, IOException cause) {
        if (failedDirs.add(dir)) {
            LOG.error("Disk error in {}: {}", dir, message, cause);
        } else {
            LOG.warn("Disk error in {}: {}: {}", dir, message, cause.toString());
        }
        listener.onFailure(dir, message, cause);
    }

    /** The directories that have reported an error since start. */
    public Set<File> failedDirs() {
        return Set.copyOf(failedDirs);
    }
}
