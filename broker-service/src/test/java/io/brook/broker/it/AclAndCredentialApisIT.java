package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.security.ScramPasswords;
import io.brook.cluster.zk.EmbeddedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.DuplicateResourceException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACL and SCRAM credential APIs through the official {@link Admin} client, against a broker
 * with the authorizer on (where {@code User:ANONYMOUS}, every client until SASL arrives, is a super
 * user) and one with it off, each on a ZooKeeper of its own.
 */
class AclAndCredentialApisIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String ADMIN_PASSWORD = "bootstrap-Secret-42";
    static final String USER_PASSWORD = "carol-Secret-77";

    @TempDir
    static Path dir;

    static EmbeddedZooKeeper securedZk;
    static EmbeddedZooKeeper openZk;
    static TestBroker secured;
    static TestBroker open;
    static Admin securedAdmin;
    static Admin openAdmin;

    @BeforeAll
    static void start() throws Exception {
        securedZk = EmbeddedZooKeeper.startOnFreePort(dir.resolve("zk-secured"));
        openZk = EmbeddedZooKeeper.startOnFreePort(dir.resolve("zk-open"));
        secured = new TestBroker(
                        1,
                        dir.resolve("secured"),
                        securedZk.connectString(),
                        "--brook.security.authorizer-enabled=true",
                        "--brook.security.super-users=User:ANONYMOUS,User:admin",
                        "--brook.security.bootstrap-admin.username=admin",
                        "--brook.security.bootstrap-admin.password=" + ADMIN_PASSWORD)
                .start();
        open = new TestBroker(1, dir.resolve("open"), openZk.connectString()).start();
        securedAdmin = admin(secured);
        openAdmin = admin(open);
    }

    static Admin admin(TestBroker broker) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        return Admin.create(props);
    }

    @AfterAll
    static void stop() {
        for (Admin admin : new Admin[] {securedAdmin, openAdmin}) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        }
        for (TestBroker broker : new TestBroker[] {secured, open}) {
            if (broker != null) {
                broker.close();
            }
        }
        for (EmbeddedZooKeeper zk : new EmbeddedZooKeeper[] {securedZk, openZk}) {
            if (zk != null) {
                zk.close();
            }
        }
    }

    static AclBinding binding(ResourceType type, String name, PatternType pattern, String principal, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    static byte[] zkData(EmbeddedZooKeeper zk, String path) throws Exception {
        try (CuratorFramework curator = CuratorFrameworkFactory.newClient(zk.connectString(), new RetryOneTime(100))) {
            curator.start();
            curator.blockUntilConnected();
            return curator.getData().forPath(path);
        }
    }

    @Test
    void aclsAreCreatedDescribedAndDeletedWithTheStockSemantics() throws Exception {
        AclBinding read = binding(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice", AclOperation.READ);
        AclBinding write = binding(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:bob", AclOperation.WRITE);
        AclBinding prefixed =
                binding(ResourceType.TOPIC, "ord", PatternType.PREFIXED, "User:alice", AclOperation.DESCRIBE);
        AclBinding group = binding(ResourceType.GROUP, "billing", PatternType.LITERAL, "User:alice", AclOperation.READ);
        securedAdmin.createAcls(List.of(read, write, prefixed, group)).all().get();

        assertThat(securedAdmin.describeAcls(AclBindingFilter.ANY).values().get())
                .containsExactlyInAnyOrder(read, write, prefixed, group);
        AclBindingFilter matchingOrders = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, "orders", PatternType.MATCH),
                AccessControlEntryFilter.ANY);
        assertThat(securedAdmin.describeAcls(matchingOrders).values().get())
                .containsExactlyInAnyOrder(read, write, prefixed);
        assertThat(new String(zkData(securedZk, "/kafka-acl/Topic/orders"), StandardCharsets.UTF_8))
                .contains("\"principal\":\"User:alice\"", "\"operation\":\"Read\"");

        AclBindingFilter ordersLiteral = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, "orders", PatternType.LITERAL),
                AccessControlEntryFilter.ANY);
        assertThat(securedAdmin.deleteAcls(List.of(ordersLiteral)).all().get()).containsExactlyInAnyOrder(read, write);
        assertThat(securedAdmin.describeAcls(AclBindingFilter.ANY).values().get())
                .containsExactlyInAnyOrder(prefixed, group);
        assertThat(securedAdmin.deleteAcls(List.of(ordersLiteral)).all().get()).isEmpty();

        securedAdmin.deleteAcls(List.of(AclBindingFilter.ANY)).all().get();
        assertThat(securedAdmin.describeAcls(AclBindingFilter.ANY).values().get())
                .isEmpty();
    }

    @Test
    void anInvalidAclIsRefusedAndTheOthersOfTheRequestCreated() throws Exception {
        AclBinding bad =
                binding(ResourceType.CLUSTER, "not-the-cluster", PatternType.LITERAL, "User:alice", AclOperation.ALTER);
        AclBinding good = binding(ResourceType.GROUP, "valid", PatternType.LITERAL, "User:dave", AclOperation.READ);
        var result = securedAdmin.createAcls(List.of(bad, good));
        assertThatThrownBy(() -> result.values().get(bad).get()).hasCauseInstanceOf(InvalidRequestException.class);
        result.values().get(good).get();
        AclBindingFilter daves = new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:dave", null, AclOperation.ANY, AclPermissionType.ANY));
        assertThat(securedAdmin.describeAcls(daves).values().get()).containsExactly(good);
        securedAdmin.deleteAcls(List.of(daves)).all().get();
    }

    @Test
    void withoutAnAuthorizerTheAclApisAnswerSecurityDisabled() {
        AclBinding read = binding(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice", AclOperation.READ);
        assertThatThrownBy(() -> openAdmin.createAcls(List.of(read)).all().get())
                .hasCauseInstanceOf(SecurityDisabledException.class);
        assertThatThrownBy(() ->
                        openAdmin.describeAcls(AclBindingFilter.ANY).values().get())
                .hasCauseInstanceOf(SecurityDisabledException.class);
        assertThatThrownBy(() -> openAdmin
                        .deleteAcls(List.of(AclBindingFilter.ANY))
                        .all()
                        .get())
                .hasCauseInstanceOf(SecurityDisabledException.class);
    }

    @Test
    void theBootstrapAdminHasSaltedCredentialsAndNoStoredPassword() throws Exception {
        Map<String, UserScramCredentialsDescription> users = securedAdmin
                .describeUserScramCredentials(List.of("admin"))
                .all()
                .get();
        assertThat(users.get("admin").credentialInfos())
                .containsExactlyInAnyOrder(
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, ScramPasswords.DEFAULT_ITERATIONS),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ScramPasswords.DEFAULT_ITERATIONS));
        String stored = new String(zkData(securedZk, "/config/users/admin"), StandardCharsets.UTF_8);
        assertThat(stored)
                .contains("SCRAM-SHA-256", "SCRAM-SHA-512", "stored_key=")
                .doesNotContain(ADMIN_PASSWORD);
        // and the broker's credential cache, which the SASL servers read, checks the password
        CredentialCache cache = secured.bean(CredentialCache.class);
        assertThat(ScramPasswords.verify(cache, "admin", ADMIN_PASSWORD)).contains(true);
        assertThat(ScramPasswords.verify(cache, "admin", "wrong")).contains(false);
    }

    @Test
    void scramCredentialsAreAlteredAndDescribedWithOrWithoutAnAuthorizer() throws Exception {
        for (TestBroker broker : List.of(secured, open)) {
            Admin admin = broker == secured ? securedAdmin : openAdmin;
            admin.alterUserScramCredentials(List.of(
                            new UserScramCredentialUpsertion(
                                    "carol",
                                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192),
                                    USER_PASSWORD),
                            new UserScramCredentialUpsertion(
                                    "erin",
                                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                                    USER_PASSWORD)))
                    .all()
                    .get();
            Map<String, UserScramCredentialsDescription> all =
                    admin.describeUserScramCredentials().all().get();
            assertThat(all).containsKeys("carol", "erin");
            assertThat(all.get("carol").credentialInfos())
                    .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192));
            CredentialCache cache = broker.bean(CredentialCache.class);
            await().atMost(WAIT)
                    .until(() ->
                            ScramPasswords.verify(cache, "carol", USER_PASSWORD).equals(java.util.Optional.of(true)));

            // Kafka's per-user errors
            var errors = admin.alterUserScramCredentials(List.<UserScramCredentialAlteration>of(
                    new UserScramCredentialUpsertion(
                            "few", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 1000), USER_PASSWORD),
                    new UserScramCredentialDeletion("nobody", ScramMechanism.SCRAM_SHA_512),
                    new UserScramCredentialDeletion("erin", ScramMechanism.SCRAM_SHA_512),
                    new UserScramCredentialUpsertion(
                            "erin", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), USER_PASSWORD),
                    new UserScramCredentialUpsertion(
                            "frank", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), USER_PASSWORD),
                    new UserScramCredentialUpsertion(
                            "frank", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), USER_PASSWORD)));
            assertThatThrownBy(() -> errors.values().get("few").get())
                    .hasCauseInstanceOf(UnacceptableCredentialException.class);
            assertThatThrownBy(() -> errors.values().get("nobody").get())
                    .hasCauseInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> errors.values().get("erin").get())
                    .hasCauseInstanceOf(DuplicateResourceException.class);
            assertThat(admin.describeUserScramCredentials(List.of("erin"))
                            .all()
                            .get()
                            .get("erin")
                            .credentialInfos())
                    .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096));
            // one alteration per user and mechanism: both of frank's, as kafka-configs sends them
            errors.values().get("frank").get();
            assertThat(admin.describeUserScramCredentials(List.of("frank"))
                            .all()
                            .get()
                            .get("frank")
                            .credentialInfos())
                    .containsExactlyInAnyOrder(
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096));

            // describe after delete
            admin.alterUserScramCredentials(
                            List.of(new UserScramCredentialDeletion("carol", ScramMechanism.SCRAM_SHA_256)))
                    .all()
                    .get();
            ExecutionException gone = org.junit.jupiter.api.Assertions.assertThrows(
                    ExecutionException.class,
                    () -> admin.describeUserScramCredentials(List.of("carol"))
                            .description("carol")
                            .get());
            assertThat(gone).hasCauseInstanceOf(ResourceNotFoundException.class);
            assertThat(admin.describeUserScramCredentials().all().get()).doesNotContainKey("carol");
            await().atMost(WAIT)
                    .until(() ->
                            ScramPasswords.verify(cache, "carol", USER_PASSWORD).isEmpty());
            admin.alterUserScramCredentials(List.of(
                            new UserScramCredentialDeletion("erin", ScramMechanism.SCRAM_SHA_512),
                            new UserScramCredentialDeletion("frank", ScramMechanism.SCRAM_SHA_256),
                            new UserScramCredentialDeletion("frank", ScramMechanism.SCRAM_SHA_512)))
                    .all()
                    .get();
        }
    }
}
