package io.brook.cluster.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedZooKeeperTest {

    @TempDir
    Path dir;

    static CuratorFramework connect(EmbeddedZooKeeper zk) throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.newClient(zk.connectString(), new RetryOneTime(100));
        client.start();
        assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        return client;
    }

    @Test
    void keepsItsDataAcrossARestartOnTheSamePort() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir, port)) {
            zk.start();
            assertThat(zk.connectString()).isEqualTo("127.0.0.1:" + port);
            try (CuratorFramework client = connect(zk)) {
                client.create().forPath("/kept", "yes".getBytes());
            }
        }

        try (EmbeddedZooKeeper again = new EmbeddedZooKeeper(dir, port)) {
            again.start();
            try (CuratorFramework client = connect(again)) {
                assertThat(new String(client.getData().forPath("/kept"))).isEqualTo("yes");
            }
        }
    }

    @Test
    void portZeroPicksAFreePortAndTheGettersNeedAStartedServer() {
        EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir, 0);
        assertThatThrownBy(zk::port).isInstanceOf(IllegalStateException.class);
        zk.start();
        try {
            assertThat(zk.port()).isPositive();
        } finally {
            zk.close();
            zk.close(); // idempotent
        }
    }
}
