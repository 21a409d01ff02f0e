package io.brook.broker.network;

import io.brook.broker.log.LogConfig;
import io.brook.broker.log.LogDirFailureHandler;
import io.brook.broker.log.LogManager;
import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.HandlerRegistry;
import io.brook.broker.protocol.handlers.ApiVersionsHandler;
import io.brook.broker.replication.ReplicaManager;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the socket-level tests run against: partition logs in a temp directory, a replica manager
 * over them, and (after {@link #serve}) the Kafka listener on a free loopback port with ApiVersions
 * and the handlers a test gives.
 */
final class TestListener implements AutoCloseable {

    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final LogManager logs;
    final ReplicaManager replicas;
    private KafkaServer server;

    TestListener(Path dir) throws IOException {
        logs = new LogManager(
                List.of(new File(dir.toFile(), "data")),
                topic -> LogConfig.DEFAULT,
                Clock.systemUTC(),
                LogManager.Settings.DEFAULT,
                new LogDirFailureHandler());
        logs.startup();
        replicas = new ReplicaManager(logs, timer, partition -> false, Clock.systemUTC(), 86_400_000L);
    }

    /** Starts the listener with ApiVersions and {@code handlers}. */
    KafkaServer serve(int maxRequestBytes, ApiHandler... handlers) throws InterruptedException {
        return serve(maxRequestBytes, ListenerSecurity.plaintext(), handlers);
    }

    /** Starts a listener of the given security with ApiVersions and {@code handlers}. */
    KafkaServer serve(int maxRequestBytes, ListenerSecurity security, ApiHandler... handlers)
            throws InterruptedException {
        AtomicReference<HandlerRegistry> registry = new AtomicReference<>();
        List<ApiHandler> all = new ArrayList<>(List.of(handlers));
        all.add(new ApiVersionsHandler(registry::get));
        registry.set(new HandlerRegistry(all));
        server = new KafkaServer(
                new KafkaServer.Settings(
                        "127.0.0.1", 0, maxRequestBytes, Duration.ofMinutes(1), 2, 4, Duration.ofSeconds(5)),
                registry.get(),
                security);
        server.start();
        return server;
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.stop();
        }
        logs.close();
        timer.shutdownNow();
    }
}
