package io.brook.broker.config;

import io.brook.cluster.zk.EmbeddedZooKeeper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's Curator client, and the embedded ZooKeeper server it talks to when no connect
 * string is configured (development: one command runs a working broker).
 */
public final class ZooKeeperConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperConnection.class);

    private final EmbeddedZooKeeper embedded;
    private final CuratorFramework curator;

    public ZooKeeperConnection(ZooKeeperProperties properties) throws IOException, InterruptedException {
        String connect = properties.getConnect();
        if (connect == null || connect.isBlank()) {
            embedded = new EmbeddedZooKeeper(Path.of(properties.getEmbeddedDataDir()), properties.getEmbeddedPort());
            embedded.start();
            connect = embedded.connectString();
            LOG.info("No brook.zookeeper.connect given: started an embedded ZooKeeper on {}", connect);
        } else {
            embedded = null;
        }
        curator = CuratorFrameworkFactory.builder()
                .connectString(connect)
                .sessionTimeoutMs((int) properties.getSessionTimeout().toMillis())
                .connectionTimeoutMs((int) Math.min(
                        Integer.MAX_VALUE, properties.getConnectionTimeout().toMillis()))
                // 100 ms doubling, 29 retries at most: rides out a ZooKeeper restart.
                .retryPolicy(new ExponentialBackoffRetry(100, 29, 5_000))
                .build();
        curator.start();
        Duration timeout = properties.getConnectionTimeout();
        if (!curator.blockUntilConnected((int) timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new IOException("cannot connect to ZooKeeper at " + connect + " within " + timeout);
        }
    }

    public CuratorFramework curator() {
        return curator;
    }

    @Override
    public void close() {
        curator.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (Exception e) {
                LOG.warn("Closing the embedded ZooKeeper failed", e);
            }
        }
    }
}
