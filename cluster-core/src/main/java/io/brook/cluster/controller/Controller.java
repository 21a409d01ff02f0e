package io.brook.cluster.controller;

import io.brook.cluster.controller.PartitionLeaderElection.Brokers;
import io.brook.cluster.controller.PartitionLeaderElection.Demand;
import io.brook.cluster.controller.PartitionLeaderElection.Election;
import io.brook.cluster.metadata.MetadataCache;
import io.brook.cluster.metadata.MetadataImage;
import io.brook.cluster.metadata.MetadataListener;
import io.brook.cluster.metadata.PartitionState;
import io.brook.cluster.metadata.TopicAssignment;
import io.brook.cluster.zk.ControllerEpoch;
import io.brook.cluster.zk.Versioned;
import io.brook.cluster.zk.ZkClusterClient;
import io.brook.cluster.zk.ZkPaths;
import io.brook.cluster.zk.ZkVersionMismatchException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ControllerMovedException;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
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
 * <p>What a pass decides per partition is {@link PartitionLeaderElection}'s: leaders move off
 * brokers that went away and off brokers in a controlled shutdown ({@code
 * /admin/controlled_shutdown/<id>}), with an unclean election where the topic's {@code
 * unclean.leader.election.enable} (default {@link Settings#uncleanLeaderElectionEnable}) allows
 * it, counted in {@link #uncleanLeaderElections()}. A partition being reassigned (KIP-455, kept in
 * its topic znode) completes once every target replica is in the ISR: one fenced transaction
 * writes its state (a target replica leads, ISR ∩ target) and its assignment (replicas = target,
 * no adding or removing replicas). Everything the controller acts on is in ZooKeeper, so a new
 * controller resumes reassignments and shutdowns where the old one left them.
 *
 * <p>Every {@link Settings#leaderImbalanceCheckInterval} (with {@code auto.leader.rebalance.enable})
 * the controller moves leadership back to preferred replicas on brokers whose share of
 * partitions not led by their preferred replica exceeds {@link
 * Settings#leaderImbalancePerBrokerPercentage} (Kafka's {@code
 * checkAndTriggerAutoLeaderRebalance}). {@link #electLeaders}, {@link
 * #alterPartitionReassignments} and {@link #listPartitionReassignments} serve the admin APIs of
 * the same names on the controller thread; each fails with {@link NotControllerException} on a
 * controller that is not active.
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

    /** Re-reads of a topic znode after losing a conditional write to an admin change of it. */
    static final int CONFLICT_RETRIES = 5;

    /**
     * The controller's settings, Kafka's broker configs of the same meaning.
     *
     * @param uncleanLeaderElectionEnable {@code unclean.leader.election.enable} for topics that
     *     do not set it
     * @param autoLeaderRebalanceEnable {@code auto.leader.rebalance.enable}
     * @param leaderImbalanceCheckInterval {@code leader.imbalance.check.interval.seconds}
     * @param leaderImbalancePerBrokerPercentage {@code leader.imbalance.per.broker.percentage}
     */
    public record Settings(
            boolean uncleanLeaderElectionEnable,
            boolean autoLeaderRebalanceEnable,
            Duration leaderImbalanceCheckInterval,
            int leaderImbalancePerBrokerPercentage) {

        /** Kafka's defaults: no unclean election; rebalance every 300 s above 10 %. */
        public static final Settings DEFAULT = new Settings(false, true, Duration.ofSeconds(300), 10);
    }

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
    private final Settings settings;
    private final AtomicLong uncleanElections = new AtomicLong();
    private final AtomicLong leaderElections = new AtomicLong();
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
        this(curator, cache, brokerId, clock, Settings.DEFAULT);
    }

    /**
     * @param cache a started cache over the same ZooKeeper, whose images drive the passes (the
     *     broker's own cache can be shared)
     */
    public Controller(CuratorFramework curator, MetadataCache cache, int brokerId, Clock clock, Settings settings) {
        this.zk = new ZkClusterClient(curator);
        this.cache = cache;
        this.brokerId = brokerId;
        this.clock = clock;
        this.settings = settings;
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
        if (settings.autoLeaderRebalanceEnable()) {
            long every = Math.max(1, settings.leaderImbalanceCheckInterval().toMillis());
            thread.scheduleWithFixedDelay(this::rebalanceLeaders, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Unclean leader elections made by this controller since it started (Kafka's {@code
     * UncleanLeaderElectionsPerSec} counts the same events).
     */
    public long uncleanLeaderElections() {
        return uncleanElections.get();
    }

    /**
     * Leader elections made by this controller since it started: every partition-state write that
     * chose a leader (new partitions, failover, controlled shutdown, preferred and unclean
     * elections, reassignments completing on a new leader), not ISR-only changes (Kafka's {@code
     * LeaderElectionRateAndTimeMs} counts the same events).
     */
    public long leaderElections() {
        return leaderElections.get();
    }

    /**
     * Partitions without a live leader (Kafka's {@code OfflinePartitionsCount}): counted over the
     * current metadata image while this controller is active, 0 on every other broker, so that the
     * sum over brokers is the cluster's count. Partitions of topics being deleted do not count.
     */
    public int offlinePartitionCount() {
        if (state != State.ACTIVE) {
            return 0;
        }
        MetadataImage image = cache.image();
        int offline = 0;
        for (Map.Entry<TopicPartition, PartitionState> e :
                image.partitionStates().entrySet()) {
            PartitionState s = e.getValue();
            if (!image.isMarkedForDeletion(e.getKey().topic())
                    && (!s.hasLeader() || !image.brokers().containsKey(s.leader()))) {
                offline++;
            }
        }
        return offline;
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
        Brokers brokers = brokers(image);
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
                boolean unclean = uncleanAllowed(image, topic.name());
                for (int partition : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.name(), partition);
                    Optional<PartitionState> current = image.partitionState(tp);
                    Optional<Election> next = PartitionLeaderElection.next(
                            topic.replicas(partition), current, brokers, unclean, epoch.epoch());
                    if (!isActive()) {
                        return;
                    }
                    if (next.isPresent()) {
                        write(tp, current, next.get(), epoch);
                    } else if (topic.isReassigning(partition)
                            && current.isPresent()
                            && current.get().isr().containsAll(topic.targetReplicas(partition))) {
                        completeReassignment(tp, brokers, epoch);
                    }
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

    private Brokers brokers(MetadataImage image) {
        return new Brokers(image.brokers().keySet(), image.shuttingDownBrokers());
    }

    private boolean uncleanAllowed(MetadataImage image, String topic) {
        String value = image.topicConfig(topic).get(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG);
        return value == null ? settings.uncleanLeaderElectionEnable() : Boolean.parseBoolean(value.trim());
    }

    private void write(TopicPartition tp, Optional<PartitionState> current, Election next, ControllerEpoch epoch) {
        try {
            if (current.isEmpty()) {
                zk.createPartitionState(tp, next.state(), epoch);
            } else {
                zk.updatePartitionState(tp, next.state(), epoch);
            }
            if (next.state().hasLeader()
                    && next.kind() != PartitionLeaderElection.Kind.ISR_CHANGE
                    && next.kind() != PartitionLeaderElection.Kind.OFFLINE) {
                leaderElections.incrementAndGet();
            }
            if (next.kind() == PartitionLeaderElection.Kind.UNCLEAN) {
                uncleanElections.incrementAndGet();
                LOG.warn(
                        "Controller {}: unclean leader election for {}: broker {} leads, records only the "
                                + "former in-sync replicas {} had may be lost",
                        brokerId,
                        tp,
                        next.state().leader(),
                        current.map(PartitionState::isr).orElse(List.of()));
            }
            LOG.info(
                    "Controller {}: {} leader {} epoch {} isr {} ({}{})",
                    brokerId,
                    tp,
                    next.state().leader(),
                    next.state().leaderEpoch(),
                    next.state().isr(),
                    next.kind(),
                    current.map(c -> ", was leader " + c.leader() + " epoch " + c.leaderEpoch())
                            .orElse(""));
        } catch (ZkVersionMismatchException | UnknownTopicOrPartitionException e) {
            // the image was behind ZooKeeper (often our own previous write); the image that
            // catches up triggers the next pass
            LOG.debug("Controller {}: {} changed meanwhile", brokerId, tp);
        }
    }

    /** Controller thread: the last step of a reassignment, read afresh from ZooKeeper. */
    private void completeReassignment(TopicPartition tp, Brokers brokers, ControllerEpoch epoch) {
        Optional<Versioned<TopicAssignment>> topic = zk.topic(tp.topic());
        Optional<PartitionState> state = zk.partitionState(tp);
        if (topic.isEmpty() || state.isEmpty() || !topic.get().value().isReassigning(tp.partition())) {
            return;
        }
        TopicAssignment assignment = topic.get().value();
        List<Integer> target = assignment.targetReplicas(tp.partition());
        Optional<PartitionState> next =
                PartitionLeaderElection.completeReassignment(target, state.get(), brokers, epoch.epoch());
        if (next.isEmpty()) {
            return;
        }
        try {
            zk.updateReassignment(
                    assignment.withPartition(tp.partition(), target, List.of(), List.of()),
                    topic.get().zkVersion(),
                    tp,
                    next,
                    epoch);
            if (next.get().leader() != state.get().leader()) {
                leaderElections.incrementAndGet();
            }
            LOG.info(
                    "Controller {}: reassignment of {} complete: replicas {}, leader {} epoch {} isr {}",
                    brokerId,
                    tp,
                    target,
                    next.get().leader(),
                    next.get().leaderEpoch(),
                    next.get().isr());
        } catch (ZkVersionMismatchException e) {
            LOG.debug("Controller {}: {} changed while its reassignment completed", brokerId, tp);
        }
    }

    /** Controller thread, every {@link Settings#leaderImbalanceCheckInterval}. */
    private void rebalanceLeaders() {
        ControllerEpoch epoch = fence;
        if (state != State.ACTIVE || epoch == null) {
            return;
        }
        MetadataImage image = cache.image();
        if (!image.shuttingDownBrokers().isEmpty()) {
            return; // leaders are on the move already
        }
        Brokers brokers = brokers(image);
        Map<Integer, Integer> preferredCount = new HashMap<>();
        Map<Integer, List<TopicPartition>> notLed = new HashMap<>();
        for (TopicAssignment topic : image.topics().values()) {
            if (image.isMarkedForDeletion(topic.name())) {
                continue;
            }
            for (int partition : topic.partitions()) {
                List<Integer> replicas = topic.replicas(partition);
                TopicPartition tp = new TopicPartition(topic.name(), partition);
                Optional<PartitionState> current = image.partitionState(tp);
                if (replicas.isEmpty() || current.isEmpty() || topic.isReassigning(partition)) {
                    continue;
                }
                int preferred = replicas.get(0);
                preferredCount.merge(preferred, 1, Integer::sum);
                if (current.get().leader() != preferred) {
                    notLed.computeIfAbsent(preferred, b -> new ArrayList<>()).add(tp);
                }
            }
        }
        try {
            for (Map.Entry<Integer, List<TopicPartition>> e : notLed.entrySet()) {
                int broker = e.getKey();
                double ratio = (double) e.getValue().size() / preferredCount.get(broker);
                if (ratio * 100 <= settings.leaderImbalancePerBrokerPercentage() || !brokers.isEligible(broker)) {
                    continue;
                }
                LOG.info(
                        "Controller {}: broker {} leads {} of the {} partitions it is preferred for; moving them back",
                        brokerId,
                        broker,
                        preferredCount.get(broker) - e.getValue().size(),
                        preferredCount.get(broker));
                for (TopicPartition tp : e.getValue()) {
                    if (!isActive()) {
                        return;
                    }
                    elect(tp, ElectionType.PREFERRED, image, brokers, epoch);
                }
            }
        } catch (ControllerMovedException e) {
            standDown(e.getMessage());
        } catch (RuntimeException e) {
            if (state != State.CLOSED) {
                LOG.warn("Controller {}: leader rebalance failed", brokerId, e);
            }
        }
    }

    // ---- admin operations, on the controller thread --------------------------------------

    /**
     * ElectLeaders: a preferred or unclean election for each partition, or for every partition
     * (then only the partitions where an election was needed are in the answer, as in Kafka).
     *
     * @param partitions the partitions, or empty for all
     * @return each partition's outcome: {@code NONE} when a leader was elected, else Kafka's error
     *     ({@code UNKNOWN_TOPIC_OR_PARTITION}, {@code ELECTION_NOT_NEEDED}, {@code
     *     PREFERRED_LEADER_NOT_AVAILABLE}, {@code ELIGIBLE_LEADERS_NOT_AVAILABLE}); fails with
     *     {@link NotControllerException} if this controller is not active
     */
    public CompletableFuture<Map<TopicPartition, ApiError>> electLeaders(
            ElectionType type, Optional<Set<TopicPartition>> partitions) {
        return call(() -> {
            ControllerEpoch epoch = activeFence();
            MetadataImage image = cache.image();
            Brokers brokers = brokers(image);
            Map<TopicPartition, ApiError> results = new LinkedHashMap<>();
            Set<TopicPartition> asked = partitions.orElseGet(() -> allPartitions(image));
            for (TopicPartition tp : asked) {
                ApiError result = elect(tp, type, image, brokers, epoch);
                if (partitions.isPresent() || result.error() != Errors.ELECTION_NOT_NEEDED) {
                    results.put(tp, result);
                }
            }
            return results;
        });
    }

    private ApiError elect(
            TopicPartition tp, ElectionType type, MetadataImage image, Brokers brokers, ControllerEpoch epoch) {
        Optional<TopicAssignment> topic = image.topic(tp.topic());
        if (topic.isEmpty()
                || image.isMarkedForDeletion(tp.topic())
                || topic.get().replicas(tp.partition()).isEmpty()) {
            return new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The partition does not exist.");
        }
        List<Integer> replicas = topic.get().replicas(tp.partition());
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<PartitionState> current = zk.partitionState(tp);
            if (current.isEmpty()) {
                return new ApiError(Errors.LEADER_NOT_AVAILABLE, "The partition has no state yet.");
            }
            Demand demand = type == ElectionType.PREFERRED
                    ? PartitionLeaderElection.preferred(replicas, current.get(), brokers, epoch.epoch())
                    : PartitionLeaderElection.uncleanOnDemand(replicas, current.get(), brokers, epoch.epoch());
            if (demand.state().isEmpty()) {
                return new ApiError(demand.error(), demand.message());
            }
            try {
                PartitionState next = demand.state().get();
                zk.updatePartitionState(tp, next, epoch);
                leaderElections.incrementAndGet();
                if (type == ElectionType.UNCLEAN && !current.get().isr().contains(next.leader())) {
                    uncleanElections.incrementAndGet();
                }
                LOG.info(
                        "Controller {}: {} election for {}: leader {} epoch {} isr {} (was leader {})",
                        brokerId,
                        type,
                        tp,
                        next.leader(),
                        next.leaderEpoch(),
                        next.isr(),
                        current.get().leader());
                return ApiError.NONE;
            } catch (ZkVersionMismatchException e) {
                // a leader changed the ISR meanwhile: decide again on the new state
            }
        }
        return new ApiError(Errors.NOT_CONTROLLER, "The partition state kept changing; retry.");
    }

    private static Set<TopicPartition> allPartitions(MetadataImage image) {
        Set<TopicPartition> all = new LinkedHashSet<>();
        for (TopicAssignment topic : image.topics().values()) {
            if (!image.isMarkedForDeletion(topic.name())) {
                topic.partitions().forEach(p -> all.add(new TopicPartition(topic.name(), p)));
            }
        }
        return all;
    }

    /**
     * AlterPartitionReassignments: starts, changes or (with an empty target) cancels the
     * reassignment of each partition, validated as Kafka validates it, and writes it to the
     * partition's topic znode; the passes then drive it. A target equal to the current replicas is
     * a no-op, a reordering of them completes at once.
     *
     * @param targets partition → target replicas, or empty to cancel
     * @param allowReplicationFactorChange false refuses targets of another size than the current
     *     replicas with {@code INVALID_REPLICATION_FACTOR} (KIP-860)
     * @return each partition's outcome; fails with {@link NotControllerException} if this
     *     controller is not active
     */
    public CompletableFuture<Map<TopicPartition, ApiError>> alterPartitionReassignments(
            Map<TopicPartition, Optional<List<Integer>>> targets, boolean allowReplicationFactorChange) {
        CompletableFuture<Map<TopicPartition, ApiError>> result = call(() -> {
            ControllerEpoch epoch = activeFence();
            Map<TopicPartition, ApiError> results = new LinkedHashMap<>();
            targets.forEach((tp, target) -> results.put(tp, reassign(tp, target, allowReplicationFactorChange, epoch)));
            return results;
        });
        result.thenRun(this::requestPass);
        return result;
    }

    private ApiError reassign(
            TopicPartition tp, Optional<List<Integer>> target, boolean allowRfChange, ControllerEpoch epoch) {
        MetadataImage image = cache.image();
        if (target.isPresent()) {
            List<Integer> replicas = target.get();
            if (replicas.isEmpty()) {
                return new ApiError(
                        Errors.INVALID_REPLICA_ASSIGNMENT,
                        "The manual partition assignment includes an empty replica list.");
            }
            Set<Integer> seen = new HashSet<>();
            for (int broker : replicas) {
                if (!seen.add(broker)) {
                    return new ApiError(
                            Errors.INVALID_REPLICA_ASSIGNMENT,
                            "The manual partition assignment includes the broker " + broker + " more than once.");
                }
                if (image.broker(broker).isEmpty()) {
                    return new ApiError(
                            Errors.INVALID_REPLICA_ASSIGNMENT,
                            "The manual partition assignment includes broker " + broker
                                    + ", but no such broker is registered.");
                }
            }
        }
        for (int attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
            Optional<Versioned<TopicAssignment>> read = zk.topic(tp.topic());
            if (read.isEmpty()
                    || read.get().value().replicas(tp.partition()).isEmpty()
                    || zk.isMarkedForDeletion(tp.topic())) {
                return new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Unable to find partition " + tp + ".");
            }
            TopicAssignment topic = read.get().value();
            int p = tp.partition();
            List<Integer> original = topic.originalReplicas(p);
            try {
                if (target.isEmpty() || (topic.isReassigning(p) && target.get().equals(original))) {
                    if (!topic.isReassigning(p)) {
                        return new ApiError(
                                Errors.NO_REASSIGNMENT_IN_PROGRESS, "No reassignment is in progress for " + tp + ".");
                    }
                    Optional<PartitionState> state = zk.partitionState(tp);
                    Optional<PartitionState> reverted = state.map(s ->
                            PartitionLeaderElection.revertReassignment(original, s, brokers(image), epoch.epoch()));
                    zk.updateReassignment(
                            topic.withPartition(p, original, List.of(), List.of()),
                            read.get().zkVersion(),
                            tp,
                            reverted,
                            epoch);
                    LOG.info("Controller {}: reassignment of {} cancelled, back to {}", brokerId, tp, original);
                    return ApiError.NONE;
                }
                List<Integer> wanted = target.get();
                if (!allowRfChange && wanted.size() != original.size()) {
                    return new ApiError(
                            Errors.INVALID_REPLICATION_FACTOR,
                            "The replication factor is changed from " + original.size() + " to " + wanted.size());
                }
                if (!topic.isReassigning(p) && wanted.equals(original)) {
                    return ApiError.NONE;
                }
                List<Integer> replicas = new ArrayList<>(wanted);
                original.stream().filter(b -> !wanted.contains(b)).forEach(replicas::add);
                List<Integer> adding =
                        wanted.stream().filter(b -> !original.contains(b)).toList();
                List<Integer> removing =
                        original.stream().filter(b -> !wanted.contains(b)).toList();
                zk.updateReassignment(
                        topic.withPartition(p, replicas, adding, removing),
                        read.get().zkVersion(),
                        tp,
                        Optional.empty(),
                        epoch);
                LOG.info(
                        "Controller {}: reassigning {} from {} to {} (adding {}, removing {})",
                        brokerId,
                        tp,
                        original,
                        wanted,
                        adding,
                        removing);
                return ApiError.NONE;
            } catch (ZkVersionMismatchException e) {
                // the topic or the state changed meanwhile: read again
            }
        }
        return new ApiError(Errors.CONCURRENT_TRANSACTIONS, "The partition kept changing; retry.");
    }

    /** An in-progress reassignment, as ListPartitionReassignments answers it. */
    public record Reassignment(List<Integer> replicas, List<Integer> addingReplicas, List<Integer> removingReplicas) {}

    /**
     * ListPartitionReassignments: the reassignments in progress, read from ZooKeeper on the
     * controller thread (so a reassignment this controller has just accepted is in the answer).
     *
     * @param partitions the partitions to report on, or empty for all; partitions not being
     *     reassigned are left out
     * @return fails with {@link NotControllerException} if this controller is not active
     */
    public CompletableFuture<Map<TopicPartition, Reassignment>> listPartitionReassignments(
            Optional<Set<TopicPartition>> partitions) {
        return call(() -> {
            activeFence();
            Set<String> topics = new TreeSet<>();
            if (partitions.isPresent()) {
                partitions.get().forEach(tp -> topics.add(tp.topic()));
            } else {
                topics.addAll(zk.topicNames());
            }
            Map<TopicPartition, Reassignment> result =
                    new TreeMap<>(Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition));
            for (String name : topics) {
                Optional<Versioned<TopicAssignment>> topic = zk.topic(name);
                if (topic.isEmpty()) {
                    continue;
                }
                TopicAssignment t = topic.get().value();
                for (int p : t.partitions()) {
                    TopicPartition tp = new TopicPartition(name, p);
                    if (t.isReassigning(p)
                            && partitions.map(s -> s.contains(tp)).orElse(true)) {
                        result.put(tp, new Reassignment(t.replicas(p), t.addingReplicas(p), t.removingReplicas(p)));
                    }
                }
            }
            return result;
        });
    }

    private ControllerEpoch activeFence() {
        ControllerEpoch epoch = fence;
        if (state != State.ACTIVE || epoch == null) {
            throw new NotControllerException("Broker " + brokerId + " is not the active controller.");
        }
        return epoch;
    }

    /** Runs {@code work} on the controller thread; a fence lost meanwhile stands it down. */
    private <T> CompletableFuture<T> call(Callable<T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    future.complete(work.call());
                } catch (ControllerMovedException e) {
                    standDown(e.getMessage());
                    future.completeExceptionally(new NotControllerException(e.getMessage()));
                } catch (Exception e) {
                    future.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(
                    new NotControllerException("The controller of broker " + brokerId + " is closed."));
        }
        return future;
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
