package io.brook.broker.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs every task at once on the calling thread, so that a log's background work
 * (post-roll flushes, deletion of {@code .deleted} files with {@code file.delete.delay.ms=0})
 * happens at a fixed point of the test and never races it. Tasks with a positive delay are kept
 * until {@link #runDelayed()}; periodic tasks are not supported.
 */
final class DirectScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final List<Runnable> delayed = new ArrayList<>();
    private boolean shutdown;

    /** Runs the tasks scheduled with a positive delay, in the order they were scheduled. */
    void runDelayed() {
        List<Runnable> tasks = List.copyOf(delayed);
        delayed.clear();
        tasks.forEach(Runnable::run);
    }

    @Override
    public void execute(Runnable command) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        command.run();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        if (delay > 0) {
            delayed.add(command);
        } else {
            command.run();
        }
        return new Done<>(null);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        if (delay > 0) {
            throw new UnsupportedOperationException("delayed callables are not supported");
        }
        try {
            return new Done<>(callable.call());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("periodic tasks are not supported");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("periodic tasks are not supported");
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> tasks = List.copyOf(delayed);
        delayed.clear();
        return tasks;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }

    private record Done<V>(V value) implements ScheduledFuture<V> {

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public V get() throws ExecutionException {
            return value;
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws ExecutionException {
            return value;
        }
    }
}
