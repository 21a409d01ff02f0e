package io.brook.cluster.testkit;

import io.brook.cluster.zk.EmbeddedZooKeeper;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.KillSession;

/**
 * What a {@link ZooKeeperTest} method gets: the server, and Curator clients in the method's own
 * namespace, all closed after the method.
 */
public final class ZooKeeperCluster {

    /**
     * Session timeout of test clients: 4 ticks of the embedded server's 500 ms tick, short enough
     * that an expired session is noticed within seconds, long enough to survive a GC pause on a
     * loaded two-core build machine.
     */
    public static final int SESSION_TIMEOUT_MS = 4_000;

    private static final int CONNECTION_TIMEOUT_MS = 3_000;

    private final EmbeddedZooKeeper server;
    private final String namespace;
    private final List<CuratorFramework> clients = new ArrayList<>();

    ZooKeeperCluster(EmbeddedZooKeeper server, String namespace) {
        this.server = server;
        this.namespace = namespace;
    }

    public EmbeddedZooKeeper server() {
        return server;
    }

    /** A new, started Curator client, connected, in this test's namespace. */
    public synchronized CuratorFramework newClient() {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(server.connectString())
                .namespace(namespace)
                .sessionTimeoutMs(SESSION_TIMEOUT_MS)
                .connectionTimeoutMs(CONNECTION_TIMEOUT_MS)
                .retryPolicy(new ExponentialBackoffRetry(50, 5))
                .build();
        client.start();
        try {
            if (!client.blockUntilConnected(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("cannot connect to " + server.connectString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        clients.add(client);
        return client;
    }

    /** Expires the client's ZooKeeper session, as a long network partition would. */
    public static void expireSession(CuratorFramework client) throws Exception {
        KillSession.kill(client.getZookeeperClient().getZooKeeper());
    }

    synchronized void closeClients() {
        for (CuratorFramework client : clients) {
            client.close();
        }
        clients.clear();
    }
}
