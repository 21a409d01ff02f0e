package io.brook.cluster.zk;

import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.metadata.PartitionState;
import io.brook.cluster.metadata.TopicAssignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ControllerMovedException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;

/**
 * Typed reads and writes of the {@link ZkPaths layout} through Curator: every znode goes through
 * its {@code *ZNode} class, and every write that replaces something names the version it read, so
 * that of two concurrent writers one wins and the other gets a {@link ZkVersionMismatchException}
 * (Kafka's {@code KafkaZkClient.conditionalUpdatePath}). Writes that only the controller may make
 * take its {@link ControllerEpoch} and are refused with Kafka's {@link ControllerMovedException}
 * once another controller has been elected.
 *
 * <p>Errors a Kafka client may see are Kafka's ({@link TopicExistsException}, {@link
 * UnknownTopicOrPartitionException}); ZooKeeper being unreachable after Curator's retries is a
 * {@link ZooKeeperUnavailableException}; an interrupt is Kafka's {@link InterruptException}.
 *
 * <p>Threading: thread-safe and stateless apart from the Curator client; every method blocks on
 * ZooKeeper round trips (Curator retries connection loss by its {@code RetryPolicy}), so call them
 * off network threads.
 */
public final class ZkClusterClient {

    private final CuratorFramework curator;

    public ZkClusterClient(CuratorFramework curator) {
        this.curator = curator;
    }

    public CuratorFramework curator() {
        return curator;
    }

    /** Creates the persistent parents of the layout where missing; idempotent. */
    public void ensurePersistentPaths() {
        for (String path : ZkPaths.PERSISTENT_PATHS) {
            try {
                curator.create().creatingParentsIfNeeded().forPath(path);
            } catch (KeeperException.NodeExistsException e) {
                // made by another broker, or by an earlier start
            } catch (Exception e) {
                throw translate("create " + path, e);
            }
        }
    }

    // ---- cluster id ------------------------------------------------------------------------

    public Optional<String> clusterId() {
        return read(ClusterIdZNode.path()).map(v -> ClusterIdZNode.decode(v.value()));
    }

    /**
     * The cluster id, created as a random Kafka {@link Uuid} by whichever broker asks first; all
     * later callers read that one.
     */
    public String getOrCreateClusterId() {
        Optional<String> existing = clusterId();
        if (existing.isPresent()) {
            return existing.get();
        }
        String id = Uuid.randomUuid().toString();
        try {
            curator.create().creatingParentsIfNeeded().forPath(ClusterIdZNode.path(), ClusterIdZNode.encode(id));
            return id;
        } catch (KeeperException.NodeExistsException e) {
            return clusterId().orElseThrow(() -> new KafkaException("/cluster/id vanished after it was created"));
        } catch (Exception e) {
            throw translate("create /cluster/id", e);
        }
    }

    // ---- brokers ---------------------------------------------------------------------------

    /**
     * Creates this broker's ephemeral {@code /brokers/ids/<id>} in the current session. If the
     * znode exists and this session owns it (a retried create whose first answer was lost), the
     * registration is rewritten; if another session owns it, the id is taken.
     *
     * @throws BrokerIdInUseException if a live broker (another session) holds the id
     */
    public void registerBroker(BrokerRegistration broker, long timestampMs) {
        String path = BrokerIdZNode.path(broker.id());
        byte[] data = BrokerIdZNode.encode(broker, timestampMs);
        try {
            curator.create()
                    .creatingParentsIfNeeded()
                    .withMode(CreateMode.EPHEMERAL)
                    .forPath(path, data);
        } catch (KeeperException.NodeExistsException e) {
            Stat stat = new Stat();
            Optional<Versioned<byte[]>> existing = read(path, stat);
            if (existing.isPresent() && stat.getEphemeralOwner() == sessionId()) {
                try {
                    setData(path, data, stat.getVersion());
                    return;
                } catch (KeeperException.NoNodeException gone) {
                    existing = Optional.empty();
                }
            }
            if (existing.isEmpty()) {
                // the holder's session ended between our create and our read: try once more
                registerBroker(broker, timestampMs);
                return;
            }
            throw new BrokerIdInUseException(
                    broker.id(), decodeQuietly(existing.get().value()));
        } catch (Exception e) {
            throw translate("register broker " + broker.id(), e);
        }
    }

    /** Whether {@code /brokers/ids/<id>} exists and belongs to this client's current session. */
    public boolean isRegisteredBySelf(int brokerId) {
        Stat stat = new Stat();
        return read(BrokerIdZNode.path(brokerId), stat).isPresent() && stat.getEphemeralOwner() == sessionId();
    }

    /** The session that owns {@code /brokers/ids/<id>}, if the znode exists. */
    public OptionalLong brokerOwnerSession(int brokerId) {
        Stat stat = new Stat();
        return read(BrokerIdZNode.path(brokerId), stat).isPresent()
                ? OptionalLong.of(stat.getEphemeralOwner())
                : OptionalLong.empty();
    }

    /** Deletes {@code /brokers/ids/<id>} if this session owns it (a clean shutdown). */
    public void unregisterBroker(int brokerId) {
        String path = BrokerIdZNode.path(brokerId);
        Stat stat = new Stat();
        if (read(path, stat).isPresent() && stat.getEphemeralOwner() == sessionId()) {
            deleteIfVersion(path, stat.getVersion());
        }
    }

    public Optional<BrokerRegistration> broker(int id) {
        return read(BrokerIdZNode.path(id)).map(v -> BrokerIdZNode.decode(v.value()));
    }

    /** The ids of the registered (live) brokers, ascending. */
    public Set<Integer> liveBrokerIds() {
        Set<Integer> ids = new TreeSet<>();
        for (String child : children(ZkPaths.BROKER_IDS)) {
            ids.add(Integer.parseInt(child));
        }
        return ids;
    }

    /** The registered brokers, by ascending id. */
    public List<BrokerRegistration> brokers() {
        List<BrokerRegistration> brokers = new ArrayList<>();
        for (int id : liveBrokerIds()) {
            broker(id).ifPresent(brokers::add);
        }
        return brokers;
    }

    // ---- topics ----------------------------------------------------------------------------

    /**
     * Creates a topic's config and assignment znodes in one transaction, so that no broker ever
     * sees a topic without its configs.
     *
     * @throws TopicExistsException if the topic exists (including one marked for deletion whose
     *     deletion the controller has not completed)
     */
    public void createTopic(TopicAssignment topic, Map<String, String> config) {
        String name = topic.name();
        try {
            List<CuratorOp> ops = new ArrayList<>();
            if (curator.checkExists().forPath(TopicConfigZNode.path(name)) != null) {
                // a leftover of an interrupted deletion; the new topic brings its own configs
                ops.add(curator.transactionOp().delete().forPath(TopicConfigZNode.path(name)));
            }
            ops.add(curator.transactionOp()
                    .create()
                    .forPath(TopicConfigZNode.path(name), TopicConfigZNode.encode(config)));
            ops.add(curator.transactionOp().create().forPath(TopicZNode.path(name), TopicZNode.encode(topic)));
            ops.add(curator.transactionOp().create().forPath(ZkPaths.partitions(name)));
            curator.transaction().forOperations(ops);
        } catch (KeeperException.NodeExistsException e) {
            if (isMarkedForDeletion(name)) {
                throw new TopicExistsException("Topic '" + name + "' is marked for deletion.");
            }
            throw new TopicExistsException("Topic '" + name + "' already exists.");
        } catch (Exception e) {
            throw translate("create topic " + name, e);
        }
    }

    /** The names of all topics (including those marked for deletion), sorted. */
    public List<String> topicNames() {
        return new ArrayList<>(new TreeSet<>(children(ZkPaths.TOPICS)));
    }

    public Optional<Versioned<TopicAssignment>> topic(String name) {
        return read(TopicZNode.path(name)).map(v -> new Versioned<>(TopicZNode.decode(name, v.value()), v.zkVersion()));
    }

    /**
     * Replaces a topic's assignment (CreatePartitions) if the znode is still at {@code
     * expectedZkVersion}.
     *
     * @return the new znode version
     * @throws ZkVersionMismatchException if it changed since
     * @throws UnknownTopicOrPartitionException if the topic is gone
     */
    public int setTopicAssignment(TopicAssignment topic, int expectedZkVersion) {
        try {
            return setData(TopicZNode.path(topic.name()), TopicZNode.encode(topic), expectedZkVersion);
        } catch (KeeperException.NoNodeException e) {
            throw unknownTopic(topic.name());
        }
    }

    public Optional<Versioned<Map<String, String>>> topicConfig(String name) {
        return read(TopicConfigZNode.path(name))
                .map(v -> new Versioned<>(TopicConfigZNode.decode(v.value()), v.zkVersion()));
    }

    /**
     * Replaces a topic's config overrides if the znode is still at {@code expectedZkVersion}.
     *
     * @return the new znode version
     * @throws ZkVersionMismatchException if it changed since
     * @throws UnknownTopicOrPartitionException if the topic is gone
     */
    public int setTopicConfig(String name, Map<String, String> config, int expectedZkVersion) {
        try {
            return setData(TopicConfigZNode.path(name), TopicConfigZNode.encode(config), expectedZkVersion);
        } catch (KeeperException.NoNodeException e) {
            throw unknownTopic(name);
        }
    }

    /**
     * Asks the controller to delete a topic; idempotent.
     *
     * @throws UnknownTopicOrPartitionException if there is no such topic
     */
    public void markTopicForDeletion(String name) {
        if (topic(name).isEmpty()) {
            throw unknownTopic(name);
        }
        try {
            curator.create().creatingParentsIfNeeded().forPath(DeleteTopicZNode.path(name), DeleteTopicZNode.encode());
        } catch (KeeperException.NodeExistsException e) {
            // already asked
        } catch (Exception e) {
            throw translate("mark topic " + name + " for deletion", e);
        }
    }

    public boolean isMarkedForDeletion(String name) {
        return read(DeleteTopicZNode.path(name)).isPresent();
    }

    public List<String> topicsMarkedForDeletion() {
        return new ArrayList<>(new TreeSet<>(children(ZkPaths.DELETE_TOPICS)));
    }

    // ---- partition state -------------------------------------------------------------------

    public Optional<PartitionState> partitionState(TopicPartition tp) {
        return read(TopicPartitionStateZNode.path(tp))
                .map(v -> TopicPartitionStateZNode.decode(v.value(), v.zkVersion()));
    }

    /**
     * Creates the first state of a partition, fenced by the controller's epoch.
     *
     * @return the state as written, at zkVersion 0
     * @throws ControllerMovedException if another controller has been elected since {@code fence}
     * @throws ZkVersionMismatchException if the state exists already
     * @throws UnknownTopicOrPartitionException if the topic is gone
     */
    public PartitionState createPartitionState(TopicPartition tp, PartitionState state, ControllerEpoch fence) {
        String path = TopicPartitionStateZNode.path(tp);
        try {
            List<CuratorOp> ops = new ArrayList<>();
            ops.add(fenceOp(fence));
            if (curator.checkExists().forPath(ZkPaths.partition(tp)) == null) {
                ops.add(curator.transactionOp().create().forPath(ZkPaths.partition(tp)));
            }
            ops.add(curator.transactionOp().create().forPath(path, TopicPartitionStateZNode.encode(state)));
            curator.transaction().forOperations(ops);
            return state.withZkVersion(0);
        } catch (KeeperException e) {
            if (failedOp(e) == 0) {
                throw controllerMoved(fence, e);
            }
            if (e instanceof KeeperException.NodeExistsException) {
                throw new ZkVersionMismatchException(path, PartitionState.NEW);
            }
            if (e instanceof KeeperException.NoNodeException) {
                throw unknownTopic(tp.topic());
            }
            throw translate("create " + path, e);
        } catch (Exception e) {
            throw translate("create " + path, e);
        }
    }

    /**
     * Replaces a partition's state if its znode is still at {@code state.zkVersion()}, fenced by
     * the controller's epoch (a controller electing a leader).
     *
     * @return {@code state} at its new zkVersion
     * @throws ControllerMovedException if another controller has been elected since {@code fence}
     * @throws ZkVersionMismatchException if the state changed since it was read
     */
    public PartitionState updatePartitionState(TopicPartition tp, PartitionState state, ControllerEpoch fence) {
        String path = TopicPartitionStateZNode.path(tp);
        try {
            curator.transaction()
                    .forOperations(
                            fenceOp(fence),
                            curator.transactionOp()
                                    .setData()
                                    .withVersion(state.zkVersion())
                                    .forPath(path, TopicPartitionStateZNode.encode(state)));
            return state.withZkVersion(state.zkVersion() + 1);
        } catch (KeeperException e) {
            if (failedOp(e) == 0) {
                throw controllerMoved(fence, e);
            }
            if (e instanceof KeeperException.BadVersionException || e instanceof KeeperException.NoNodeException) {
                throw new ZkVersionMismatchException(path, state.zkVersion());
            }
            throw translate("update " + path, e);
        } catch (Exception e) {
            throw translate("update " + path, e);
        }
    }

    /**
     * Replaces a partition's state if its znode is still at {@code state.zkVersion()}, without a
     * controller fence: the leader changing its ISR (Kafka's ZooKeeper-mode {@code
     * updateLeaderAndIsr}), where the zkVersion alone orders leader and controller.
     *
     * @return {@code state} at its new zkVersion
     * @throws ZkVersionMismatchException if the state changed since it was read
     */
    public PartitionState updatePartitionState(TopicPartition tp, PartitionState state) {
        String path = TopicPartitionStateZNode.path(tp);
        try {
            int version = setData(path, TopicPartitionStateZNode.encode(state), state.zkVersion());
            return state.withZkVersion(version);
        } catch (KeeperException.NoNodeException e) {
            throw new ZkVersionMismatchException(path, state.zkVersion());
        }
    }

    /**
     * Writes a partition's reassignment in one transaction fenced by the controller epoch: the
     * topic's assignment (conditional on {@code topicZkVersion}) and, if given, the partition's
     * new state (conditional on its zkVersion), so that a reassignment completes, or is cancelled,
     * in a single step that a controller failing over finds either done or not begun.
     *
     * @throws ControllerMovedException if another controller has been elected since {@code fence}
     * @throws ZkVersionMismatchException if the topic or the state changed since they were read
     */
    public void updateReassignment(
            TopicAssignment topic,
            int topicZkVersion,
            TopicPartition tp,
            Optional<PartitionState> state,
            ControllerEpoch fence) {
        String path = TopicZNode.path(topic.name());
        try {
            List<CuratorOp> ops = new ArrayList<>();
            ops.add(fenceOp(fence));
            // The assignment before the state: watchers see the changes in this order, so a
            // leader never holds the new ISR with the old replica list (it could add a removed
            // replica, still fetching, back to the ISR).
            ops.add(curator.transactionOp()
                    .setData()
                    .withVersion(topicZkVersion)
                    .forPath(path, TopicZNode.encode(topic)));
            if (state.isPresent()) {
                ops.add(curator.transactionOp()
                        .setData()
                        .withVersion(state.get().zkVersion())
                        .forPath(TopicPartitionStateZNode.path(tp), TopicPartitionStateZNode.encode(state.get())));
            }
            curator.transaction().forOperations(ops);
        } catch (KeeperException e) {
            if (failedOp(e) == 0) {
                throw controllerMoved(fence, e);
            }
            if (e instanceof KeeperException.BadVersionException || e instanceof KeeperException.NoNodeException) {
                throw new ZkVersionMismatchException(path, topicZkVersion);
            }
            throw translate("update the reassignment of " + tp, e);
        } catch (Exception e) {
            throw translate("update the reassignment of " + tp, e);
        }
    }

    // ---- controlled shutdown ---------------------------------------------------------------

    /**
     * Creates this broker's ephemeral {@code /admin/controlled_shutdown/<id>}, asking the
     * controller to move its leaderships away; idempotent.
     */
    public void requestControlledShutdown(int brokerId) {
        try {
            curator.create()
                    .creatingParentsIfNeeded()
                    .withMode(CreateMode.EPHEMERAL)
                    .forPath(ControlledShutdownZNode.path(brokerId), ControlledShutdownZNode.encode());
        } catch (KeeperException.NodeExistsException e) {
            // asked already
        } catch (Exception e) {
            throw translate("request the controlled shutdown of broker " + brokerId, e);
        }
    }

    /** Deletes {@code /admin/controlled_shutdown/<id>} if this session made it. */
    public void clearControlledShutdown(int brokerId) {
        String path = ControlledShutdownZNode.path(brokerId);
        Stat stat = new Stat();
        if (read(path, stat).isPresent() && stat.getEphemeralOwner() == sessionId()) {
            deleteIfVersion(path, stat.getVersion());
        }
    }

    // ---- controller ------------------------------------------------------------------------

    /** The active controller's broker id, if one holds {@code /controller}. */
    public OptionalInt controllerId() {
        return read(ControllerZNode.path())
                .map(v -> OptionalInt.of(ControllerZNode.decode(v.value())))
                .orElse(OptionalInt.empty());
    }

    public Optional<Versioned<Integer>> controllerEpoch() {
        return read(ControllerEpochZNode.path())
                .map(v -> new Versioned<>(ControllerEpochZNode.decode(v.value()), v.zkVersion()));
    }

    /**
     * Makes this broker the controller: in one transaction, creates the ephemeral {@code
     * /controller} naming it and increments {@code /controller_epoch} conditionally on the version
     * read (Kafka's {@code registerControllerAndIncrementControllerEpoch}).
     *
     * @return the won epoch and fence
     * @throws ControllerMovedException if another broker holds {@code /controller} or won an
     *     election meanwhile
     */
    public ControllerEpoch claimController(int brokerId, long timestampMs) {
        try {
            try {
                curator.create().forPath(ControllerEpochZNode.path(), ControllerEpochZNode.encode(0));
            } catch (KeeperException.NodeExistsException e) {
                // the usual case: an earlier controller made it
            }
            Versioned<Integer> current =
                    controllerEpoch().orElseThrow(() -> new KafkaException("/controller_epoch vanished"));
            int epoch = current.value() + 1;
            curator.transaction()
                    .forOperations(
                            curator.transactionOp()
                                    .create()
                                    .withMode(CreateMode.EPHEMERAL)
                                    .forPath(ControllerZNode.path(), ControllerZNode.encode(brokerId, timestampMs)),
                            curator.transactionOp()
                                    .setData()
                                    .withVersion(current.zkVersion())
                                    .forPath(ControllerEpochZNode.path(), ControllerEpochZNode.encode(epoch)));
            return new ControllerEpoch(epoch, current.zkVersion() + 1);
        } catch (KeeperException.NodeExistsException e) {
            throw new ControllerMovedException("broker " + controllerId().orElse(-1) + " is the controller");
        } catch (KeeperException.BadVersionException e) {
            throw new ControllerMovedException("another controller was elected while broker " + brokerId + " claimed");
        } catch (Exception e) {
            throw translate("claim controller", e);
        }
    }

    /** Deletes {@code /controller} if this session holds it (a controller stepping down). */
    public void resignController() {
        Stat stat = new Stat();
        if (read(ControllerZNode.path(), stat).isPresent() && stat.getEphemeralOwner() == sessionId()) {
            deleteIfVersion(ControllerZNode.path(), stat.getVersion());
        }
    }

    /**
     * Removes a topic's znodes (states, partitions, assignment, configs) and its deletion marker in
     * one transaction fenced by the controller epoch, so that brokers see the topic vanish at once.
     *
     * @throws ControllerMovedException if another controller has been elected since {@code fence}
     * @throws ZkVersionMismatchException if the topic's tree changed while being read (retry)
     */
    public void deleteTopicZNodes(String topic, ControllerEpoch fence) {
        try {
            List<CuratorOp> ops = new ArrayList<>();
            ops.add(fenceOp(fence));
            String partitions = ZkPaths.partitions(topic);
            if (curator.checkExists().forPath(partitions) != null) {
                for (String p : curator.getChildren().forPath(partitions)) {
                    String partition = partitions + "/" + p;
                    for (String child : curator.getChildren().forPath(partition)) {
                        ops.add(curator.transactionOp().delete().forPath(partition + "/" + child));
                    }
                    ops.add(curator.transactionOp().delete().forPath(partition));
                }
                ops.add(curator.transactionOp().delete().forPath(partitions));
            }
            for (String path :
                    List.of(TopicZNode.path(topic), TopicConfigZNode.path(topic), DeleteTopicZNode.path(topic))) {
                if (curator.checkExists().forPath(path) != null) {
                    ops.add(curator.transactionOp().delete().forPath(path));
                }
            }
            curator.transaction().forOperations(ops);
        } catch (KeeperException e) {
            if (failedOp(e) == 0) {
                throw controllerMoved(fence, e);
            }
            if (e instanceof KeeperException.NoNodeException || e instanceof KeeperException.NotEmptyException) {
                throw new ZkVersionMismatchException(ZkPaths.topic(topic), -1);
            }
            throw translate("delete topic " + topic, e);
        } catch (Exception e) {
            throw translate("delete topic " + topic, e);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** This client's current ZooKeeper session id (it changes after an expiry). */
    public long sessionId() {
        try {
            return curator.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            throw translate("read the session id", e);
        }
    }

    private CuratorOp fenceOp(ControllerEpoch fence) throws Exception {
        return curator.transactionOp().check().withVersion(fence.zkVersion()).forPath(ControllerEpochZNode.path());
    }

    private static ControllerMovedException controllerMoved(ControllerEpoch fence, Exception cause) {
        return new ControllerMovedException(
                "controller epoch " + fence.epoch() + " is no longer current: another controller was elected", cause);
    }

    /** The index of the operation that failed a multi-op, or -1 if unknown. */
    private static int failedOp(KeeperException e) {
        List<OpResult> results = e.getResults();
        if (results == null) {
            return -1;
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof OpResult.ErrorResult error
                    && error.getErr() != KeeperException.Code.OK.intValue()
                    && error.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                return i;
            }
        }
        return -1;
    }

    private Optional<Versioned<byte[]>> read(String path) {
        return read(path, new Stat());
    }

    private Optional<Versioned<byte[]>> read(String path, Stat stat) {
        try {
            byte[] data = curator.getData().storingStatIn(stat).forPath(path);
            return Optional.of(new Versioned<>(data, stat.getVersion()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw translate("read " + path, e);
        }
    }

    private List<String> children(String path) {
        try {
            return curator.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw translate("list " + path, e);
        }
    }

    /** A conditional setData; returns the new version. */
    private int setData(String path, byte[] data, int expectedVersion) throws KeeperException.NoNodeException {
        try {
            return curator.setData()
                    .withVersion(expectedVersion)
                    .forPath(path, data)
                    .getVersion();
        } catch (KeeperException.BadVersionException e) {
            throw new ZkVersionMismatchException(path, expectedVersion);
        } catch (KeeperException.NoNodeException e) {
            throw e;
        } catch (Exception e) {
            throw translate("write " + path, e);
        }
    }

    private void deleteIfVersion(String path, int version) {
        try {
            curator.delete().withVersion(version).forPath(path);
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // gone or replaced: no longer ours to delete
        } catch (Exception e) {
            throw translate("delete " + path, e);
        }
    }

    private static Optional<BrokerRegistration> decodeQuietly(byte[] data) {
        try {
            return Optional.of(BrokerIdZNode.decode(data));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static UnknownTopicOrPartitionException unknownTopic(String name) {
        return new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist.");
    }

    /**
     * Maps what Curator throws to the exceptions this class documents; for the other typed stores
     * over Curator (users, ACLs), so that they fail the same way.
     */
    public static RuntimeException translate(String what, Exception e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new InterruptException("interrupted: " + what, (InterruptedException) e);
        }
        if (e instanceof KeeperException.ConnectionLossException
                || e instanceof KeeperException.SessionExpiredException
                || e instanceof KeeperException.OperationTimeoutException
                || e instanceof KeeperException.SessionMovedException) {
            return new ZooKeeperUnavailableException("ZooKeeper unavailable: " + what, e);
        }
        return new KafkaException("ZooKeeper error: " + what, e);
    }
}
