package io.brook.broker.it;

import io.brook.cluster.zk.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real embedded ZooKeeper and {@code n} brokers (ids 1..n) on free ports, each with its own data
 * directory under {@code dir}: what the integration tests start once per class.
 */
final class TestCluster implements AutoCloseable {

    private final EmbeddedZooKeeper zookeeper;
    private final List<TestBroker> brokers = new ArrayList<>();

    private TestCluster(EmbeddedZooKeeper zookeeper) {
        this.zookeeper = zookeeper;
    }

    /** Starts ZooKeeper and the brokers, all given {@code brokerArgs}. */
    static TestCluster start(Path dir, int brokerCount, String... brokerArgs) throws Exception {
        TestCluster cluster = new TestCluster(EmbeddedZooKeeper.startOnFreePort(dir.resolve("zk")));
        try {
            for (int id = 1; id <= brokerCount; id++) {
                cluster.brokers.add(
                        new TestBroker(id, dir.resolve("broker-" + id), cluster.zookeeper.connectString(), brokerArgs)
                                .start());
            }
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The broker with id {@code id} (1-based). */
    TestBroker broker(int id) {
        return brokers.get(id - 1);
    }

    /** Every broker's address, for clients that must survive one broker going away. */
    String bootstrapServers() {
        return String.join(",", brokers.stream().map(TestBroker::bootstrap).toList());
    }

    /** ZooKeeper's connect string, for brokers a test starts by itself. */
    String zookeeperConnect() {
        return zookeeper.connectString();
    }

    /** The number of brokers. */
    int size() {
        return brokers.size();
    }

    @Override
    public void close() {
        for (int i = brokers.size() - 1; i >= 0; i--) {
            brokers.get(i).close();
        }
        zookeeper.close();
    }
}
