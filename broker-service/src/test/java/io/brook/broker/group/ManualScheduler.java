package io.brook.broker.group;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded scheduler with a clock that only moves when the test calls {@link #advance}:
 * the coordinator's event thread, made deterministic. Tasks run on the calling thread, one at a
 * time and in order: a task submitted while another runs waits for it, as on a real event
 * thread. Delayed tasks run when {@link #advance} reaches their deadline, with the clock set to
 * it. {@link #hold()} queues tasks instead of running them until {@link #release()}. Periodic
 * tasks ({@code scheduleWithFixedDelay}) run at each period the clock passes.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Task> delayed = new PriorityQueue<>();
    private long now;
    private long sequence;
    private boolean running;
    private boolean held;
    private boolean shutdown;

    private final Clock clock = new Clock() {
        @Override
        public long millis() {
            return now;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };

    ManualScheduler(long startMillis) {
        this.now = startMillis;
    }

    Clock clock() {
        return clock;
    }

    /** Moves the clock forward by {@code ms}, running every task that falls due on the way. */
    void advance(long ms) {
        long target = now + ms;
        while (!delayed.isEmpty() && delayed.peek().deadline <= target) {
            Task t = delayed.poll();
            now = Math.max(now, t.deadline);
            if (!t.cancelled) {
                ready.add(t);
            }
            drain();
        }
        now = target;
        drain();
    }

    void hold() {
        held = true;
    }

    void release() {
        held = false;
        drain();
    }

    private void drain() {
        if (running || held) {
            return;
        }
        running = true;
        try {
            Runnable r;
            while (!held && (r = ready.poll()) != null) {
                r.run();
            }
        } finally {
            running = false;
        }
    }

    @Override
    public void execute(Runnable command) {
        ready.add(command);
        drain();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task t = new Task(command, now + unit.toMillis(delay), sequence++);
        if (delay <= 0) {
            ready.add(t);
            drain();
        } else {
            delayed.add(t);
        }
        return t;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        // Each run schedules the next; the returned future cancels the first only (tests never
        // cancel periodic tasks: they end with the scheduler).
        long delayMs = Math.max(1, unit.toMillis(delay));
        Runnable[] self = new Runnable[1];
        self[0] = () -> {
            command.run();
            if (!shutdown) {
                schedule(self[0], delayMs, TimeUnit.MILLISECONDS);
            }
        };
        return schedule(self[0], Math.max(1, unit.toMillis(initialDelay)), TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
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

    private static final class Task implements ScheduledFuture<Object>, Runnable, Comparable<Delayed> {
        final Runnable command;
        final long deadline;
        final long seq;
        boolean cancelled;
        boolean done;

        Task(Runnable command, long deadline, long seq) {
            this.command = command;
            this.deadline = deadline;
            this.seq = seq;
        }

        @Override
        public void run() {
            if (!cancelled) {
                done = true;
                command.run();
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(deadline, TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Task other = (Task) o;
            int c = Long.compare(deadline, other.deadline);
            return c != 0 ? c : Long.compare(seq, other.seq);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return !done;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
