package io.brook.cluster.registration;

import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.zk.BrokerIdInUseException;
import io.brook.cluster.zk.ZkClusterClient;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this broker registered in {@code /brokers/ids/<id>}, the ephemeral znode whose existence
 * is the broker's liveness for the controller and every other broker.
 *
 * <p>The znode lives as long as the Curator client's ZooKeeper session. When the session expires
 * (a partition longer than the session timeout), ZooKeeper deletes the znode, the controller moves
 * leadership away, and when Curator reconnects with a new session this class registers again.
 *
 * <table>
 *   <caption>Transitions</caption>
 *   <tr><th>from</th><th>event</th><th>to</th><th>action</th></tr>
 *   <tr><td>NEW</td><td>{@link #start}</td><td>REGISTERED</td><td>create the znode; if
 *       another session holds the id: throw {@link BrokerIdInUseException}, to FAILED</td></tr>
 *   <tr><td>REGISTERED</td><td>SUSPENDED</td><td>SUSPENDED</td><td>none: the znode may or may not
 *       still exist; nothing to do until the connection is back</td></tr>
 *   <tr><td>REGISTERED, SUSPENDED</td><td>LOST</td><td>EXPIRED</td><td>none: ZooKeeper has deleted
 *       (or will delete) the znode with the session</td></tr>
 *   <tr><td>SUSPENDED, EXPIRED</td><td>RECONNECTED</td><td>REGISTERED</td><td>if this session does
 *       not own the znode, create it again (if the old session's znode is still there, poll until
 *       ZooKeeper expires it); if another broker took the id meanwhile: to FAILED and call the
 *       fatal-error handler</td></tr>
 *   <tr><td>any</td><td>{@link #close}</td><td>CLOSED</td><td>delete the znode if this session
 *       owns it, so the controller reacts at once instead of after the session timeout</td></tr>
 * </table>
 *
 * <p>Threading: thread-safe. Curator's connection-state callbacks only hand work to one internal
 * thread, which does the ZooKeeper calls, so Curator's event thread never blocks.
 */
public final class BrokerRegistrar implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerRegistrar.class);

    /** Where the registration stands; see the class javadoc for the transitions. */
    public enum State {
        NEW,
        REGISTERED,
        SUSPENDED,
        EXPIRED,
        FAILED,
        CLOSED
    }

    private final ZkClusterClient zk;
    private final BrokerRegistration registration;
    private final Clock clock;
    private final Consumer<Throwable> fatalErrorHandler;
    /**
     * How often to look whether the previous session's znode is gone: a fraction of any sensible
     * session timeout (ZooKeeper allows 2 to 20 ticks), so re-registration follows soon after.
     */
    private static final long LINGERING_ZNODE_POLL_MS = 250;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final ConnectionStateListener connectionListener = this::onConnectionStateChanged;
    private final ScheduledExecutorService worker;

    /**
     * The session that created our znode. After an expiry seen only by the client (Curator's own
     * timer, or a network partition where the server has not yet timed the session out), the old
     * znode lingers until the server expires the old session; a znode held by that session is
     * ours, to be waited out, not another broker's.
     */
    private volatile long registeredSession;

    /**
     * @param fatalErrorHandler told when the broker can no longer be registered (its id was taken
     *     while it was away); the broker should shut down
     */
    public BrokerRegistrar(
            CuratorFramework curator,
            BrokerRegistration registration,
            Clock clock,
            Consumer<Throwable> fatalErrorHandler) {
        this.zk = new ZkClusterClient(curator);
        this.registration = registration;
        this.clock = clock;
        this.fatalErrorHandler = fatalErrorHandler;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brook-broker-registrar-" + registration.id());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Creates the layout's persistent parents and the cluster id if this is the first broker, and
     * registers this broker. Blocks on ZooKeeper.
     *
     * @return the cluster id
     * @throws BrokerIdInUseException if a live broker holds this id
     */
    public String start() {
        if (!state.compareAndSet(State.NEW, State.REGISTERED)) {
            throw new IllegalStateException("already started: " + state.get());
        }
        try {
            zk.ensurePersistentPaths();
            String clusterId = zk.getOrCreateClusterId();
            zk.curator().getConnectionStateListenable().addListener(connectionListener);
            zk.registerBroker(registration, clock.millis());
            registeredSession = zk.sessionId();
            LOG.info(
                    "Registered broker {} at {} in cluster {}", registration.id(), registration.endpoints(), clusterId);
            return clusterId;
        } catch (RuntimeException e) {
            state.set(State.FAILED);
            zk.curator().getConnectionStateListenable().removeListener(connectionListener);
            throw e;
        }
    }

    public State state() {
        return state.get();
    }

    public int brokerId() {
        return registration.id();
    }

    private void onConnectionStateChanged(CuratorFramework client, ConnectionState newState) {
        switch (newState) {
            case SUSPENDED -> {
                if (state.compareAndSet(State.REGISTERED, State.SUSPENDED)) {
                    LOG.warn("Broker {}: ZooKeeper connection suspended", registration.id());
                }
            }
            case LOST -> {
                if (state.compareAndSet(State.REGISTERED, State.EXPIRED)
                        || state.compareAndSet(State.SUSPENDED, State.EXPIRED)) {
                    LOG.warn("Broker {}: ZooKeeper session lost; its registration is gone", registration.id());
                }
            }
            case RECONNECTED -> submit(this::reregister);
            case CONNECTED, READ_ONLY -> {
                // CONNECTED comes once, before start() registers; read-only mode is not enabled
            }
        }
    }

    /** On the worker thread. */
    private void reregister() {
        State current = state.get();
        if (current != State.SUSPENDED && current != State.EXPIRED && current != State.REGISTERED) {
            return;
        }
        try {
            if (!zk.isRegisteredBySelf(registration.id())) {
                OptionalLong holder = zk.brokerOwnerSession(registration.id());
                if (holder.isPresent() && holder.getAsLong() == registeredSession) {
                    // our own znode of the expired session: ZooKeeper removes it within its
                    // session timeout
                    schedule(this::reregister, LINGERING_ZNODE_POLL_MS);
                    return;
                }
                zk.registerBroker(registration, clock.millis());
                registeredSession = zk.sessionId();
                LOG.info("Broker {} registered again after its ZooKeeper session expired", registration.id());
            }
            state.compareAndSet(current, State.REGISTERED);
        } catch (BrokerIdInUseException e) {
            if (state.compareAndSet(current, State.FAILED)) {
                LOG.error("Broker {} cannot register again", registration.id(), e);
                fatalErrorHandler.accept(e);
            }
        } catch (RuntimeException e) {
            LOG.warn("Broker {}: registering again failed, will retry", registration.id(), e);
            schedule(this::reregister, LINGERING_ZNODE_POLL_MS);
        }
    }

    private void schedule(Runnable task, long delayMs) {
        try {
            worker.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void submit(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** Removes the registration (if this session still owns it) and stops following the session. */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        zk.curator().getConnectionStateListenable().removeListener(connectionListener);
        worker.shutdownNow();
        if (previous != State.NEW && previous != State.FAILED) {
            try {
                zk.unregisterBroker(registration.id());
            } catch (RuntimeException e) {
                LOG.warn(
                        "Broker {}: could not remove its registration; it goes with the session", registration.id(), e);
            }
        }
    }
}
