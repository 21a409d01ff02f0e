package io.brook.cluster.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.metadata.Endpoint;
import io.brook.cluster.testkit.ZooKeeperCluster;
import io.brook.cluster.testkit.ZooKeeperTest;
import io.brook.cluster.zk.BrokerIdInUseException;
import io.brook.cluster.zk.ZkClusterClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

@ZooKeeperTest
class BrokerRegistrarTest {

    static BrokerRegistration broker(int id, String host) {
        return new BrokerRegistration(
                id, List.of(new Endpoint("PLAINTEXT", host, 9092, SecurityProtocol.PLAINTEXT)), Optional.of("r1"));
    }

    @Test
    void registersAndUnregistersOnClose(ZooKeeperCluster zk) {
        ZkClusterClient observer = new ZkClusterClient(zk.newClient());
        BrokerRegistrar registrar = new BrokerRegistrar(zk.newClient(), broker(1, "a"), Clock.systemUTC(), e -> {});

        String clusterId = registrar.start();

        assertThat(observer.broker(1)).contains(broker(1, "a"));
        assertThat(observer.clusterId()).contains(clusterId);
        assertThat(registrar.state()).isEqualTo(BrokerRegistrar.State.REGISTERED);
        registrar.close();
        assertThat(observer.broker(1)).isEmpty();
        assertThat(registrar.state()).isEqualTo(BrokerRegistrar.State.CLOSED);
    }

    @Test
    void aSecondBrokerWithALiveIdIsRefused(ZooKeeperCluster zk) {
        BrokerRegistrar first = new BrokerRegistrar(zk.newClient(), broker(1, "host-a"), Clock.systemUTC(), e -> {});
        first.start();
        BrokerRegistrar second = new BrokerRegistrar(zk.newClient(), broker(1, "host-b"), Clock.systemUTC(), e -> {});

        assertThatThrownBy(second::start)
                .isInstanceOf(BrokerIdInUseException.class)
                .hasMessage("broker id 1 is already registered by a live broker at host-a:9092");
        assertThat(second.state()).isEqualTo(BrokerRegistrar.State.FAILED);
        assertThat(new ZkClusterClient(zk.newClient()).broker(1)).contains(broker(1, "host-a"));
    }

    @Test
    void registersAgainAfterItsSessionExpires(ZooKeeperCluster zk) throws Exception {
        ZkClusterClient observer = new ZkClusterClient(zk.newClient());
        CuratorFramework curator = zk.newClient();
        List<Throwable> fatal = new CopyOnWriteArrayList<>();
        BrokerRegistrar registrar = new BrokerRegistrar(curator, broker(2, "a"), Clock.systemUTC(), fatal::add);
        registrar.start();
        long firstSession =
                observer.curator().checkExists().forPath("/brokers/ids/2").getEphemeralOwner();

        ZooKeeperCluster.expireSession(curator);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var stat = observer.curator().checkExists().forPath("/brokers/ids/2");
            assertThat(stat).isNotNull();
            assertThat(stat.getEphemeralOwner()).isNotEqualTo(firstSession);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> registrar.state() == BrokerRegistrar.State.REGISTERED);
        assertThat(fatal).isEmpty();
        assertThat(observer.broker(2)).contains(broker(2, "a"));
    }
}
