package io.brook.gateway.testkit;

import io.brook.cluster.security.ScramCredentialStore;
import io.brook.cluster.security.ScramPasswords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A broker of one test class's own with Kafka's authorizer on and {@code User:ANONYMOUS} (the
 * gateway's plaintext connection) as its super user: for ITs that run the gateway with security on
 * against real ACLs and users. Started on first use; stopped when the JVM exits, that is after the
 * class's Spring context has closed its clients against a live broker.
 *
 * <p>Use: a static instance in the test class, {@link #pointGatewayAt} from the class's
 * {@code ApplicationContextInitializer}, {@link #addUser} for the users the test logs in as.
 *
 * <p>Threading: thread-safe.
 */
public final class AuthorizedBroker {

    private final String name;
    private BrokerProcess process;

    /** {@code name} names the broker's stop hook (which test class it belongs to). */
    public AuthorizedBroker(String name) {
        this.name = name;
    }

    /** The broker, started on the first call. */
    public synchronized BrokerProcess process() {
        if (process == null) {
            try {
                process = BrokerProcess.start(List.of(
                        "--brook.security.authorizer-enabled=true", "--brook.security.super-users=User:ANONYMOUS"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(process::close, name + "-broker-stop"));
        }
        return process;
    }

    /** Gives the gateway under test this broker's Kafka and ZooKeeper addresses. */
    public void pointGatewayAt(ConfigurableApplicationContext context) {
        TestPropertyValues.of(
                        "brook.gateway.bootstrap-servers=" + process().bootstrap(),
                        "brook.gateway.zookeeper-connect=" + process().zookeeperConnect())
                .applyTo(context);
    }

    /** Stores {@code user}'s SCRAM credential in the broker's ZooKeeper, where brokers and gateway read it. */
    public void addUser(String user, ScramMechanism mechanism, String password) {
        try (CuratorFramework curator =
                CuratorFrameworkFactory.newClient(process().zookeeperConnect(), new ExponentialBackoffRetry(200, 10))) {
            curator.start();
            new ScramCredentialStore(curator, ScramPasswords.newCache())
                    .upsert(user, mechanism, ScramPasswords.create(mechanism, password, 4096));
        }
    }
}
