package io.brook.cluster.testkit;

import io.brook.cluster.zk.EmbeddedZooKeeper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The extension behind {@link ZooKeeperTest}. */
public final class ZooKeeperExtension
        implements BeforeAllCallback, AfterAllCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ZooKeeperExtension.class);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path dir = Files.createTempDirectory("brook-zk-");
        EmbeddedZooKeeper server = EmbeddedZooKeeper.startOnFreePort(dir);
        context.getStore(STORE).put("server", server);
        context.getStore(STORE).put("dir", dir);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ZooKeeperCluster cluster = context.getStore(STORE).get("cluster", ZooKeeperCluster.class);
        if (cluster != null) {
            cluster.closeClients();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        EmbeddedZooKeeper server = context.getStore(STORE).get("server", EmbeddedZooKeeper.class);
        if (server != null) {
            server.close();
        }
        Path dir = context.getStore(STORE).get("dir", Path.class);
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ZooKeeperCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        EmbeddedZooKeeper server = context.getRoot() == context
                ? null
                : context.getParent().orElseThrow().getStore(STORE).get("server", EmbeddedZooKeeper.class);
        if (server == null) {
            throw new IllegalStateException("@ZooKeeperTest goes on the test class");
        }
        ZooKeeperCluster cluster = new ZooKeeperCluster(server, "test-" + NAMESPACES.incrementAndGet());
        context.getStore(STORE).put("cluster", cluster);
        return cluster;
    }
}
