package io.brook.cluster.controller;

import io.brook.cluster.metadata.MetadataCache;
import io.brook.cluster.metadata.MetadataImage;
import io.brook.cluster.metadata.MetadataListener;
import io.brook.cluster.metadata.PartitionState;
import io.brook.cluster.metadata.TopicAssignment;
import io.brook.cluster.zk.ControllerEpoch;
import io.brook.cluster.zk.ZkClusterClient;
import io.brook.cluster.zk.ZkPaths;
import io.brook.cluster.zk.ZkVersionMismatchException;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ControllerMovedException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster controller: one broker at a time, elected through a Curator {@link LeaderLatch} on
 * {@code /controller_election}, creates partition states for new partitions, moves leadership off
 * brokers that went away and back when they return, and completes topic deletions.
 *
 * <p>Election: the latch winner claims {@code /controller} (ephemeral, its id) and increments
 * {@code /controller_epoch} in one transaction ({@link ZkClusterClient#claimController}); every
 * write it then makes is fenced by the version it left {@code /controller_epoch} at, so a
 * controller that was replaced without noticing (a long GC pause, a partition) cannot win a single
 * write. Partition-state writes are also conditional on the state's own znode version, which
 * orders them against the leaders' ISR updates.
 *
 * <p>Work: the controller is a reconciler. On election and on every new {@link MetadataImage} of
 * the {@link MetadataCache} it is given (live brokers, topics, states, deletion markers), it walks
 * the whole image and, for each partition, writes what {@link PartitionLeaderElection} decides.
 * Passes are coalesced (one pending at most) and run on the controller's single thread. A write
 * that loses on the znode version is skipped: the image that shows the winning write triggers the
 * next pass. Topic deletion removes the topic's znodes in one fenced transaction; brokers delete
 * their logs when their cache reports the topic gone (unlike Kafka, the controller does not wait
 * for replicas to confirm).
 *
 * <table>
 *   <caption>Controller transitions</caption>
 *   <tr><th>from</th><th>event</th><th>to</th><th>action</th></tr>
 *   <tr><td>NEW</td><td>{@link #start}</td><td>STANDBY</td><td>join the latch, follow the
 *       cache and the connection</td></tr>
 *   <tr><td>STANDBY</td><td>latch: isLeader</td><td>ACTIVE</td><td>claim {@code /controller},
 *       epoch + 1; a full pass. If {@code /controller} is still held (the previous controller
 *       not yet gone): stay STANDBY and retry every {@value #RETRY_BACKOFF_MS} ms while
 *       leader</td></tr>
 *   <tr><td>ACTIVE</td><td>new image</td><td>ACTIVE</td><td>a pass</td></tr>
 *   <tr><td>ACTIVE</td><td>latch: notLeader; connection SUSPENDED or LOST; a write refused as
 *       {@link ControllerMovedException}</td><td>STANDBY</td><td>stop writing at once (checked
 *       before every write); delete {@code /controller} if this session still holds it</td></tr>
 *   <tr><td>STANDBY</td><td>connection RECONNECTED</td><td>STANDBY</td><td>delete a leftover
 *       {@code /controller} of this session; the latch competes again by itself</td></tr>
 *   <tr><td>any</td><td>{@link #close}</td><td>CLOSED</td><td>stop writing, delete {@code
 *       /controller}, leave the latch (so the next candidate takes over at once)</td></tr>
 * </table>
 *
 * <p>Threading: thread-safe. Latch, connection and cache callbacks only flip the state and hand
 * work to the single controller thread, which makes every ZooKeeper call.
 */
public final class Controller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    /**
     * Pause before retrying a claim of {@code /controller} or a pass that failed on ZooKeeper: a
     * few round trips, so a hand-over completes quickly without spinning.
     */
    static final long RETRY_BACKOFF_MS = 200;

    /** Where the controller stands; see the class javadoc for the transitions. */
    public enum State {
        NEW,
        STANDBY,
        ACTIVE,
        CLOSED
    }

    private final ZkClusterClient zk;
    private final MetadataCache cache;
    private final int brokerId;
    private final Clock clock;
    private final LeaderLatch latch;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean passPending = new AtomicBoolean();
    private final ConnectionStateListener connectionListener = this::onConnectionStateChanged;
    private final MetadataListener imageListener = new MetadataListener() {
        @Override
        public void onImage(MetadataImage image) {
            requestPass();
        }
    };
    private final Object stateLock = new Object();
    private volatile State state = State.NEW;
    /** Set while ACTIVE, by the controller thread; null otherwise. */
    private volatile ControllerEpoch fence;

    /**
     * @param cache a started cache over the same ZooKeeper, whose images drive the passes (the
     *     broker's own cache can be shared)
     */
    public Controller(CuratorFramework curator, MetadataCache cache, int brokerId, Clock clock) {
        this.zk = new ZkClusterClient(curator);
        this.cache = cache;
        this.brokerId = brokerId;
        this.clock = clock;
        this.latch = new LeaderLatch(curator, ZkPaths.CONTROLLER_ELECTION, Integer.toString(brokerId));
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brook-controller-" + brokerId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Joins the election; returns at once (the controller becomes ACTIVE if and when it wins). */
    public void start() {
        synchronized (stateLock) {
            if (state != State.NEW) {
                throw new IllegalStateException("already started: " + state);
            }
            state = State.STANDBY;
        }
        zk.curator().getConnectionStateListenable().addListener(connectionListener);
        cache.addListener(imageListener);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                submit(Controller.this::onElected);
            }

            @Override
            public void notLeader() {
                standDown("lost the controller election");
            }
        });
        try {
            latch.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot join the controller election", e);
        }
    }

    public State state() {
        return state;
    }

    public boolean isActive() {
        return state == State.ACTIVE;
    }

    /** This controller's epoch while it is active. */
    public OptionalInt epoch() {
        ControllerEpoch current = fence;
        return state == State.ACTIVE && current != null ? OptionalInt.of(current.epoch()) : OptionalInt.empty();
    }

    public int brokerId() {
        return brokerId;
    }

    @Override
    public void close() {
        synchronized (stateLock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            fence = null;
        }
        cache.removeListener(imageListener);
        zk.curator().getConnectionStateListenable().removeListener(connectionListener);
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            zk.resignController();
        } catch (RuntimeException e) {
            LOG.warn("Controller {}: could not delete /controller; it goes with the session", brokerId, e);
        }
        try {
            latch.close();
        } catch (IOException | IllegalStateException e) {
            LOG.warn("Controller {}: could not leave the election", brokerId, e);
        }
    }

    private void onConnectionStateChanged(CuratorFramework client, ConnectionState newState) {
        switch (newState) {
            case SUSPENDED, LOST -> standDown("ZooKeeper connection " + newState);
            case RECONNECTED -> submit(this::cleanUpAfterReconnect);
            case CONNECTED, READ_ONLY -> {
                // CONNECTED precedes start(); read-only mode is not enabled
            }
        }
    }

    /** Any thread: stops writing at once, then cleans up on the controller thread. */
    private void standDown(String why) {
        synchronized (stateLock) {
            if (state != State.ACTIVE) {
                return;
            }
            state = State.STANDBY;
            fence = null;
        }
        LOG.warn("Controller {} stops acting: {}", brokerId, why);
        submit(this::cleanUpAfterReconnect);
    }

    /** Controller thread: a /controller left by this session while it stood down goes. */
    private void cleanUpAfterReconnect() {
        if (state == State.STANDBY) {
            try {
                zk.resignController();
            } catch (RuntimeException e) {
                LOG.debug("Controller {}: /controller not deleted yet", brokerId, e);
            }
        }
    }

    /** Controller thread. */
    private void onElected() {
        if (state != State.STANDBY || !latch.hasLeadership()) {
            return;
        }
        try {
            zk.resignController(); // a leftover of this same session, if any
            ControllerEpoch won = zk.claimController(brokerId, clock.millis());
            synchronized (stateLock) {
                if (state != State.STANDBY || !latch.hasLeadership()) {
                    // lost it while claiming: the epoch is spent, the next controller bumps again
                    zk.resignController();
                    return;
                }
                fence = won;
                state = State.ACTIVE;
            }
            LOG.info("Broker {} is the controller, epoch {}", brokerId, won.epoch());
            pass();
        } catch (ControllerMovedException e) {
            LOG.info("Controller {}: waiting for the previous controller to go ({})", brokerId, e.getMessage());
            schedule(this::onElected);
        } catch (RuntimeException e) {
            LOG.warn("Controller {}: claiming failed, retrying", brokerId, e);
            schedule(this::onElected);
        }
    }

    private void requestPass() {
        if (state == State.ACTIVE && passPending.compareAndSet(false, true)) {
            submit(this::pass);
        }
    }

    /** Controller thread: brings ZooKeeper in line with the current image. */
    private void pass() {
        passPending.set(false); // an image after this point asks for another pass
        ControllerEpoch epoch = fence;
        if (state != State.ACTIVE || epoch == null) {
            return;
        }
        MetadataImage image = cache.image();
        Set<Integer> live = image.brokers().keySet();
        try {
            for (String topic : image.topicsMarkedForDeletion()) {
                if (!isActive()) {
                    return;
                }
                try {
                    zk.deleteTopicZNodes(topic, epoch);
                    LOG.info("Controller {}: deleted topic {}", brokerId, topic);
                } catch (ZkVersionMismatchException e) {
                    LOG.debug("Controller {}: topic {} changed while being deleted", brokerId, topic);
                }
            }
            for (TopicAssignment topic : image.topics().values()) {
                if (image.isMarkedForDeletion(topic.name())) {
                    continue;
                }
                for (int partition : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.name(), partition);
                    Optional<PartitionState> current = image.partitionState(tp);
                    Optional<PartitionState> next =
                            PartitionLeaderElection.next(topic.replicas(partition), current, live, epoch.epoch());
                    if (next.isEmpty()) {
                        continue;
                    }
                    if (!isActive()) {
                        return;
                    }
                    write(tp, current, next.get(), epoch);
                }
            }
        } catch (ControllerMovedException e) {
            standDown(e.getMessage());
        } catch (RuntimeException e) {
            if (state == State.CLOSED) {
                return; // interrupted by close()
            }
            LOG.warn("Controller {}: pass failed, retrying", brokerId, e);
            schedule(this::requestPass);
        }
    }

    private void write(
            TopicPartition tp, Optional<PartitionState> current, PartitionState next, ControllerEpoch epoch) {
        try {
            if (current.isEmpty()) {
                zk.createPartitionState(tp, next, epoch);
            } else {
                zk.updatePartitionState(tp, next, epoch);
            }
            LOG.info(
                    "Controller {}: {} leader {} epoch {} isr {}{}",
                    brokerId,
                    tp,
                    next.leader(),
                    next.leaderEpoch(),
                    next.isr(),
                    current.map(c -> " (was leader " + c.leader() + " epoch " + c.leaderEpoch() + ")")
                            .orElse(" (new)"));
        } catch (ZkVersionMismatchException | UnknownTopicOrPartitionException e) {
            // the image was behind ZooKeeper (often our own previous write); the image that
            // catches up triggers the next pass
            LOG.debug("Controller {}: {} changed meanwhile", brokerId, tp);
        }
    }

    private void submit(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void schedule(Runnable task) {
        try {
            thread.schedule(task, RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }
}
