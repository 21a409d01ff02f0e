package io.brook.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.zk.BrokerIdZNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A ZooKeeper ({@link TestZooKeeper}: Debian's server as a process, or the embedded fallback) and
 * {@code n} {@link BrokerProcess}es (ids 1..n) in a fresh temp folder, started before each test
 * and torn down after it; registered with {@code @RegisterExtension}:
 *
 * <pre>{@code
 * @RegisterExtension
 * final BrokerProcessCluster cluster = BrokerProcessCluster.brokers(3)
 *         .property("brook.broker.replica-lag-time-max-ms", "2000");
 * }</pre>
 *
 * <p>When a test fails, the tail of every broker's log and of ZooKeeper's is printed and the
 * folder is kept (its path printed); after a passing test the folder is deleted.
 *
 * <p>Broker state as the cluster sees it (registration, controller, leaders, ISR) is read with
 * the Kafka {@link Admin} client, the way an operator would; only a broker's deregistration is
 * read from ZooKeeper itself (see {@link #awaitDeregistered}). Waits are Awaitility conditions.
 * Threading: the test's thread only.
 */
final class BrokerProcessCluster implements BeforeEachCallback, AfterEachCallback {

    /**
     * The fixture's broker settings, before the test's own. A ZooKeeper session of 4 s lets a
     * killed broker's registration (and controllership) go within seconds, so that ten kills fit in
     * a CI run; it is still long against the pauses of a loaded two-core machine.
     */
    static final Map<String, String> DEFAULT_PROPERTIES = Map.of(
            "brook.zookeeper.session-timeout", "4s",
            "brook.broker.auto-create-topics", "false",
            "brook.broker.offsets-topic-partitions", "3",
            "brook.broker.group-initial-rebalance-delay", "0ms",
            "spring.main.banner-mode", "off");

    /** Log lines of each process printed when a test fails. */
    private static final int TAIL_LINES = 60;

    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final int brokerCount;
    private final Map<String, String> properties = new LinkedHashMap<>(DEFAULT_PROPERTIES);
    private final Map<Integer, BrokerProcess> brokers = new TreeMap<>();
    private Path dir;
    private TestZooKeeper zookeeper;
    private Admin admin;
    private CuratorFramework zkClient;

    private BrokerProcessCluster(int brokerCount) {
        this.brokerCount = brokerCount;
    }

    static BrokerProcessCluster brokers(int count) {
        return new BrokerProcessCluster(count);
    }

    /**
     * A Spring property for every broker ({@code brook.broker.*}, {@code brook.zookeeper.*},
     * anything), overriding the fixture's defaults. Properties the broker does not know are
     * ignored by it.
     */
    BrokerProcessCluster property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory(
                "brook-" + context.getRequiredTestClass().getSimpleName() + "-");
        zookeeper = TestZooKeeper.start(dir.resolve("zookeeper"));
        zkClient = CuratorFrameworkFactory.newClient(zookeeper.connectString(), new RetryNTimes(3, 200));
        zkClient.start();
        for (int id = 1; id <= brokerCount; id++) {
            brokers.put(id, new BrokerProcess(id, dir.resolve("broker-" + id), zookeeper.connectString(), properties));
        }
        brokers.values().forEach(BrokerProcess::start);
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100));
        for (int id : brokers.keySet()) {
            awaitRegistered(id);
        }
        System.out.println("[system-tests] " + brokerCount + " brokers up: " + brokers.values());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        boolean failed = context.getExecutionException().isPresent();
        if (failed) {
            printLogs();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        brokers.values().forEach(BrokerProcess::destroy);
        if (zkClient != null) {
            zkClient.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
        if (failed) {
            System.out.println("[system-tests] logs and data kept in " + dir);
        } else {
            deleteRecursively(dir);
        }
    }

    /** Prints the tail of every process's log. */
    void printLogs() {
        StringBuilder out = new StringBuilder();
        for (BrokerProcess broker : brokers.values()) {
            out.append("\n===== ")
                    .append(broker)
                    .append(": last ")
                    .append(TAIL_LINES)
                    .append(" lines of ")
                    .append(broker.logFile())
                    .append('\n')
                    .append(broker.logTail(TAIL_LINES))
                    .append('\n');
        }
        if (zookeeper != null && zookeeper.isExternalProcess()) {
            out.append("\n===== ZooKeeper\n")
                    .append(zookeeper.logTail(TAIL_LINES))
                    .append('\n');
        }
        System.out.println(out);
    }

    Admin admin() {
        return admin;
    }

    /** Every broker's address, live or not, as a client's bootstrap list. */
    String bootstrap() {
        return brokers.values().stream().map(BrokerProcess::bootstrap).collect(Collectors.joining(","));
    }

    BrokerProcess broker(int id) {
        BrokerProcess broker = brokers.get(id);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + id);
        }
        return broker;
    }

    List<BrokerProcess> brokers() {
        return List.copyOf(brokers.values());
    }

    TestZooKeeper zookeeper() {
        return zookeeper;
    }

    /** The ids of the brokers registered in ZooKeeper, as the cluster reports them. */
    Set<Integer> registeredBrokers() throws Exception {
        return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
                .map(Node::id)
                .collect(Collectors.toSet());
    }

    /** The controller's id, as DescribeCluster reports it; -1 if there is none. */
    int controller() throws Exception {
        Node controller = admin.describeCluster().controller().get(10, TimeUnit.SECONDS);
        return controller == null ? -1 : controller.id();
    }

    /** Waits until the cluster has a controller, and returns its id. */
    int awaitController() {
        int[] controller = {-1};
        await("a controller")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> (controller[0] = controller()) != -1);
        return controller[0];
    }

    /**
     * Waits until broker {@code id} runs and the cluster lists it; fails at once, with its log, if
     * the process exits or its start fails.
     */
    void awaitRegistered(int id) {
        BrokerProcess broker = broker(id);
        await("broker " + id + " registered")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .failFast(
                        "broker " + id + " stopped or failed to start",
                        () -> assertThat(broker.isAlive() && !broker.startFailed())
                                .as(
                                        "%s running (exit code %s); its log:%n%s",
                                        broker, broker.exitCode(), tailOf(broker))
                                .isTrue())
                .ignoreExceptions()
                .until(() -> registeredBrokers().contains(id));
    }

    /**
     * Waits until broker {@code id}'s registration znode is gone from ZooKeeper: a clean shutdown
     * deleted it, or the session of a killed process expired. Read from ZooKeeper rather than
     * through a broker, so that it works with every broker down; it is also exactly what a restart
     * under the same id needs.
     */
    void awaitDeregistered(int id) {
        await("broker " + id + " deregistered")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> zkClient.checkExists().forPath(BrokerIdZNode.path(id)) == null);
    }

    /** kill -9 of broker {@code id}. */
    void kill(int id) {
        broker(id).kill();
    }

    /** Starts broker {@code id} again on its folder once its old registration is gone. */
    void restart(int id) {
        awaitDeregistered(id);
        broker(id).start();
        awaitRegistered(id);
    }

    /** SIGTERM to every running broker, one after the other (paused ones are resumed first). */
    void stopAllCleanly() {
        for (BrokerProcess broker : brokers.values()) {
            if (broker.isAlive()) {
                broker.terminate();
            }
        }
    }

    /** Creates a topic and waits until every partition has a leader. */
    void createTopic(String topic, int partitions, int replicationFactor, Map<String, String> configs)
            throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) replicationFactor).configs(configs)))
                .all()
                .get(30, TimeUnit.SECONDS);
        await("every partition of " + topic + " has a leader")
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> {
                    List<TopicPartitionInfo> info = partitions(topic);
                    return info.size() == partitions && info.stream().allMatch(p -> p.leader() != null);
                });
    }

    /** The partitions of {@code topic} as the cluster describes them, in partition order. */
    List<TopicPartitionInfo> partitions(String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .get(topic);
        return description.partitions().stream()
                .sorted(Comparator.comparingInt(TopicPartitionInfo::partition))
                .toList();
    }

    /** The leader of a partition, -1 if it has none. */
    int leader(String topic, int partition) throws Exception {
        Node leader = partitions(topic).get(partition).leader();
        return leader == null || leader.isEmpty() ? -1 : leader.id();
    }

    static Set<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).collect(Collectors.toSet());
    }

    /** Waits until every partition of {@code topic} has a leader and all its replicas in the ISR. */
    void awaitFullIsr(String topic, Duration timeout) {
        await("every replica of " + topic + " in the ISR")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> partitions(topic).stream()
                        .allMatch(p -> p.leader() != null
                                && !p.leader().isEmpty()
                                && ids(p.isr()).equals(ids(p.replicas()))));
    }

    /**
     * Each replica's log of each partition of {@code topic}, by partition and broker: the bytes of
     * the partition's {@code .log} segment files in offset order, read from the brokers' data
     * folders; the replicas are those the cluster assigns now. Read after the brokers are stopped
     * cleanly, so that no file changes under the reading.
     */
    Map<Integer, Map<Integer, byte[]>> replicaLogs(String topic, Map<Integer, List<Integer>> replicasByPartition) {
        Map<Integer, Map<Integer, byte[]>> logs = new TreeMap<>();
        replicasByPartition.forEach((partition, replicas) -> {
            Map<Integer, byte[]> byBroker = new TreeMap<>();
            for (int id : replicas) {
                byBroker.put(id, segmentBytes(broker(id).dataDir().resolve(topic + "-" + partition)));
            }
            logs.put(partition, byBroker);
        });
        return logs;
    }

    /** The replica assignment of {@code topic} now: partition → broker ids. */
    Map<Integer, List<Integer>> assignment(String topic) throws Exception {
        Map<Integer, List<Integer>> assignment = new TreeMap<>();
        for (TopicPartitionInfo p : partitions(topic)) {
            assignment.put(p.partition(), p.replicas().stream().map(Node::id).toList());
        }
        return assignment;
    }

    /** Sizes of each replica's segments, by partition and broker (to see followers catch up). */
    Map<Integer, Map<Integer, Long>> replicaSizes(String topic, Map<Integer, List<Integer>> replicasByPartition) {
        Map<Integer, Map<Integer, Long>> sizes = new TreeMap<>();
        replicasByPartition.forEach((partition, replicas) -> {
            Map<Integer, Long> byBroker = new TreeMap<>();
            for (int id : replicas) {
                byBroker.put(id, segmentSize(broker(id).dataDir().resolve(topic + "-" + partition)));
            }
            sizes.put(partition, byBroker);
        });
        return sizes;
    }

    /**
     * The concatenated {@code <base offset>.log} files of a partition folder, in base-offset order
     * (the names are zero-padded, so name order); empty if the folder does not exist.
     */
    static byte[] segmentBytes(Path partitionDir) {
        try {
            var out = new java.io.ByteArrayOutputStream();
            for (Path segment : segments(partitionDir)) {
                out.write(Files.readAllBytes(segment));
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long segmentSize(Path partitionDir) {
        long size = 0;
        for (Path segment : segments(partitionDir)) {
            try {
                size += Files.size(segment);
            } catch (IOException e) {
                // deleted under us (retention, a roll's rename): counted on the next poll
            }
        }
        return size;
    }

    private static List<Path> segments(Path partitionDir) {
        if (!Files.isDirectory(partitionDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.log"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String tailOf(BrokerProcess broker) {
        return broker.logTail(TAIL_LINES);
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> paths = new ArrayList<>(walk.toList());
            paths.sort(Comparator.reverseOrder());
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
    }
}
