package io.brook.cluster.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.testkit.ZooKeeperCluster;
import io.brook.cluster.testkit.ZooKeeperTest;
import io.brook.cluster.zk.UserScramCredentialsZNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;

@ZooKeeperTest
class ScramCredentialStoreTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String PASSWORD = "alice-secret-123";

    static ScramCredential credential(ScramMechanism mechanism, String password, int iterations) {
        return ScramPasswords.create(mechanism, password, iterations);
    }

    @Test
    void storesTheSaltedCredentialPerMechanismAndNeverThePassword(ZooKeeperCluster zk) throws Exception {
        CuratorFramework curator = zk.newClient();
        ScramCredentialStore store = new ScramCredentialStore(curator, ScramPasswords.newCache());
        store.upsert("alice", ScramMechanism.SCRAM_SHA_256, credential(ScramMechanism.SCRAM_SHA_256, PASSWORD, 4096));
        store.upsert("alice", ScramMechanism.SCRAM_SHA_512, credential(ScramMechanism.SCRAM_SHA_512, PASSWORD, 8192));

        byte[] stored = curator.getData().forPath("/config/users/alice");
        String json = new String(stored, StandardCharsets.UTF_8);
        assertThat(json).contains("\"version\":1", "SCRAM-SHA-256", "SCRAM-SHA-512", "iterations=8192");
        assertThat(json).doesNotContain(PASSWORD);
        assertThat(UserScramCredentialsZNode.decode(stored)).containsOnlyKeys("SCRAM-SHA-256", "SCRAM-SHA-512");

        assertThat(store.describe("alice").orElseThrow())
                .extracting(ScramCredentialInfo::mechanism, ScramCredentialInfo::iterations)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_256, 4096),
                        org.assertj.core.groups.Tuple.tuple(
                                org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 8192));
    }

    @Test
    void deletingOneMechanismKeepsTheOtherAndTheLastRemovesTheUser(ZooKeeperCluster zk) throws Exception {
        CuratorFramework curator = zk.newClient();
        ScramCredentialStore store = new ScramCredentialStore(curator, ScramPasswords.newCache());
        store.upsert("bob", ScramMechanism.SCRAM_SHA_256, credential(ScramMechanism.SCRAM_SHA_256, PASSWORD, 4096));
        store.upsert("bob", ScramMechanism.SCRAM_SHA_512, credential(ScramMechanism.SCRAM_SHA_512, PASSWORD, 4096));
        store.upsert("carol", ScramMechanism.SCRAM_SHA_512, credential(ScramMechanism.SCRAM_SHA_512, PASSWORD, 4096));

        store.delete("bob", ScramMechanism.SCRAM_SHA_256);
        assertThat(store.describe("bob").orElseThrow()).hasSize(1);
        assertThatThrownBy(() -> store.delete("bob", ScramMechanism.SCRAM_SHA_256))
                .isInstanceOf(ResourceNotFoundException.class);

        store.delete("bob", ScramMechanism.SCRAM_SHA_512);
        assertThat(store.describe("bob")).isEmpty();
        assertThat(curator.checkExists().forPath("/config/users/bob")).isNull();
        assertThat(store.describe()).containsOnlyKeys("carol");
        assertThatThrownBy(() -> store.delete("nobody", ScramMechanism.SCRAM_SHA_512))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void refusesEmptyUsersAndIterationsOutOfBounds(ZooKeeperCluster zk) {
        ScramCredentialStore store = new ScramCredentialStore(zk.newClient(), ScramPasswords.newCache());
        ScramCredential ok = credential(ScramMechanism.SCRAM_SHA_256, PASSWORD, 4096);
        assertThatThrownBy(() -> store.upsert("", ScramMechanism.SCRAM_SHA_256, ok))
                .isInstanceOf(UnacceptableCredentialException.class);
        ScramCredential few = new ScramCredential(ok.salt(), ok.storedKey(), ok.serverKey(), 1024);
        assertThatThrownBy(() -> store.upsert("dave", ScramMechanism.SCRAM_SHA_256, few))
                .isInstanceOf(UnacceptableCredentialException.class);
        ScramCredential many = new ScramCredential(ok.salt(), ok.storedKey(), ok.serverKey(), 16_385);
        assertThatThrownBy(() -> store.upsert("dave", ScramMechanism.SCRAM_SHA_256, many))
                .isInstanceOf(UnacceptableCredentialException.class);
        assertThat(store.describe("dave")).isEmpty();
    }

    @Test
    void oddUserNamesAreEncodedInTheZnodeNameAndReadBack(ZooKeeperCluster zk) throws Exception {
        CuratorFramework curator = zk.newClient();
        ScramCredentialStore store = new ScramCredentialStore(curator, ScramPasswords.newCache());
        String odd = "CN=eve/ops, O=Brook*";
        store.upsert(odd, ScramMechanism.SCRAM_SHA_256, credential(ScramMechanism.SCRAM_SHA_256, PASSWORD, 4096));
        store.upsert("..", ScramMechanism.SCRAM_SHA_256, credential(ScramMechanism.SCRAM_SHA_256, PASSWORD, 4096));

        assertThat(curator.getChildren().forPath("/config/users")).hasSize(2).allMatch(n -> !n.contains("/"));
        assertThat(store.describe()).containsOnlyKeys(odd, "..");
    }

    @Test
    void theMirrorFollowsEveryWriteOfAnyWriter(ZooKeeperCluster zk) {
        CredentialCache cache = ScramPasswords.newCache();
        ScramCredentialStore writer = new ScramCredentialStore(zk.newClient(), ScramPasswords.newCache());
        writer.upsert(
                "early", ScramMechanism.SCRAM_SHA_512, credential(ScramMechanism.SCRAM_SHA_512, "early-pw", 4096));
        try (ScramCredentialStore mirror = new ScramCredentialStore(zk.newClient(), cache)) {
            mirror.start(TIMEOUT);
            // loaded at start
            assertThat(ScramPasswords.verify(cache, "early", "early-pw")).contains(true);

            writer.upsert(
                    "frank", ScramMechanism.SCRAM_SHA_256, credential(ScramMechanism.SCRAM_SHA_256, "one-pw", 4096));
            await().atMost(TIMEOUT)
                    .until(() -> ScramPasswords.verify(cache, "frank", "one-pw").equals(Optional.of(true)));

            writer.upsert(
                    "frank", ScramMechanism.SCRAM_SHA_256, credential(ScramMechanism.SCRAM_SHA_256, "two-pw", 4096));
            await().atMost(TIMEOUT)
                    .until(() -> ScramPasswords.verify(cache, "frank", "two-pw").equals(Optional.of(true)));
            assertThat(ScramPasswords.verify(cache, "frank", "one-pw")).contains(false);

            writer.delete("frank", ScramMechanism.SCRAM_SHA_256);
            await().atMost(TIMEOUT)
                    .until(() -> ScramPasswords.verify(cache, "frank", "two-pw").isEmpty());
        }
    }

    @Test
    void createIfAbsentLeavesAnExistingCredentialAlone(ZooKeeperCluster zk) {
        ScramCredentialStore store = new ScramCredentialStore(zk.newClient(), ScramPasswords.newCache());
        Map<ScramMechanism, ScramCredential> first =
                Map.of(ScramMechanism.SCRAM_SHA_512, credential(ScramMechanism.SCRAM_SHA_512, "first-pw", 4096));
        Map<ScramMechanism, ScramCredential> second =
                Map.of(ScramMechanism.SCRAM_SHA_512, credential(ScramMechanism.SCRAM_SHA_512, "second-pw", 8192));
        assertThat(store.createIfAbsent("admin", first)).isTrue();
        assertThat(store.createIfAbsent("admin", second)).isFalse();
        assertThat(store.describe("admin").orElseThrow())
                .extracting(ScramCredentialInfo::iterations)
                .isEqualTo(List.of(4096));
    }

    @Test
    void concurrentWritersOfOneUserKeepBothMechanisms(ZooKeeperCluster zk) throws Exception {
        ScramCredentialStore a = new ScramCredentialStore(zk.newClient(), ScramPasswords.newCache());
        ScramCredentialStore b = new ScramCredentialStore(zk.newClient(), ScramPasswords.newCache());
        for (int round = 0; round < 20; round++) {
            String user = "user-" + round;
            Thread t1 = new Thread(() -> a.upsert(
                    user, ScramMechanism.SCRAM_SHA_256, credential(ScramMechanism.SCRAM_SHA_256, PASSWORD, 4096)));
            Thread t2 = new Thread(() -> b.upsert(
                    user, ScramMechanism.SCRAM_SHA_512, credential(ScramMechanism.SCRAM_SHA_512, PASSWORD, 4096)));
            t1.start();
            t2.start();
            t1.join();
            t2.join();
            assertThat(a.describe(user).orElseThrow()).hasSize(2);
        }
    }
}
