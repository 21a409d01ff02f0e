package io.brook.broker.security;

import io.brook.cluster.security.AclAuthorizer;
import io.brook.cluster.zk.EmbeddedZooKeeper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.network.ClientInformation;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestContext;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * A real {@link AclAuthorizer} on an embedded ZooKeeper in a temp folder, and request contexts
 * of chosen principals, as the network layer will build them once SASL is on.
 */
public final class SecurityFixture implements AutoCloseable {

    private final Path dir;
    private final EmbeddedZooKeeper zookeeper;
    private final CuratorFramework curator;
    private final AclAuthorizer authorizer;
    public final RequestAuthorization authorization;

    public SecurityFixture(String... superUsers) throws IOException, InterruptedException {
        dir = Files.createTempDirectory("brook-security-");
        zookeeper = EmbeddedZooKeeper.startOnFreePort(dir);
        curator = CuratorFrameworkFactory.newClient(zookeeper.connectString(), new RetryOneTime(100));
        curator.start();
        curator.blockUntilConnected();
        authorizer = new AclAuthorizer(curator);
        authorizer.configure(Map.of(AclAuthorizer.SUPER_USERS_CONFIG, List.of(superUsers)));
        authorizer.start(Duration.ofSeconds(10));
        authorization = RequestAuthorization.with(authorizer);
    }

    /** Allows a user an operation on a literal resource, from any host. */
    public void allow(String user, AclOperation operation, ResourceType type, String name) {
        grant(user, operation, type, name, AclPermissionType.ALLOW);
    }

    public void deny(String user, AclOperation operation, ResourceType type, String name) {
        grant(user, operation, type, name, AclPermissionType.DENY);
    }

    private void grant(String user, AclOperation operation, ResourceType type, String name, AclPermissionType perm) {
        authorizer
                .createAcls(
                        null,
                        List.of(new AclBinding(
                                new ResourcePattern(type, name, PatternType.LITERAL),
                                new AccessControlEntry("User:" + user, "*", operation, perm))))
                .forEach(r -> r.toCompletableFuture().join().exception().ifPresent(e -> {
                    throw e;
                }));
    }

    /** A request of {@code api} at its latest version from {@code user} on the loopback address. */
    public static RequestContext context(String user, ApiKeys api) {
        return context(user, api, api.latestVersion());
    }

    public static RequestContext context(String user, ApiKeys api, short version) {
        return new RequestContext(
                new RequestHeader(api, version, "test-client", 7),
                "conn-1",
                InetAddress.getLoopbackAddress(),
                new KafkaPrincipal(KafkaPrincipal.USER_TYPE, user),
                ListenerName.forSecurityProtocol(SecurityProtocol.PLAINTEXT),
                SecurityProtocol.PLAINTEXT,
                ClientInformation.EMPTY,
                false);
    }

    @Override
    public void close() throws IOException {
        authorizer.close();
        curator.close();
        zookeeper.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
