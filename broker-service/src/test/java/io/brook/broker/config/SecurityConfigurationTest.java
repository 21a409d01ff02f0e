package io.brook.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.brook.cluster.security.ScramCredentialStore;
import io.brook.cluster.security.ScramPasswords;
import io.brook.cluster.zk.EmbeddedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SecurityConfigurationTest {

    static final String PASSWORD = "Bootstrap-Pa55word!";

    @TempDir
    Path dir;

    @Test
    void theBootstrapAdminIsCreatedOnceAndThePasswordIsNeitherStoredNorLogged() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.TRACE);
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.startOnFreePort(dir);
                CuratorFramework curator =
                        CuratorFrameworkFactory.newClient(zk.connectString(), new RetryOneTime(100))) {
            curator.start();
            curator.blockUntilConnected();
            CredentialCache cache = ScramPasswords.newCache();
            SecurityProperties.BootstrapAdmin admin = new SecurityProperties.BootstrapAdmin();
            admin.setUsername("admin");
            admin.setPassword(PASSWORD);
            try (ScramCredentialStore store = new ScramCredentialStore(curator, cache)) {
                SecurityConfiguration.createBootstrapAdmin(store, admin);
                store.start(Duration.ofSeconds(10));
                assertThat(ScramPasswords.verify(cache, "admin", PASSWORD)).contains(true);

                // a later start with another password leaves the first one
                admin.setPassword("another-password");
                SecurityConfiguration.createBootstrapAdmin(store, admin);
                assertThat(ScramPasswords.verify(cache, "admin", PASSWORD)).contains(true);
            }
            String stored = new String(curator.getData().forPath("/config/users/admin"), StandardCharsets.UTF_8);
            assertThat(stored).doesNotContain(PASSWORD).doesNotContain("another-password");
            assertThat(admin.toString()).doesNotContain("another-password");
        } finally {
            root.setLevel(before);
            root.detachAppender(logs);
        }
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains(PASSWORD) || line.contains("another-password"));
    }

    @Test
    void aUsernameWithoutPasswordIsAConfigurationError() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.startOnFreePort(dir);
                CuratorFramework curator =
                        CuratorFrameworkFactory.newClient(zk.connectString(), new RetryOneTime(100))) {
            curator.start();
            SecurityProperties.BootstrapAdmin admin = new SecurityProperties.BootstrapAdmin();
            admin.setUsername("admin");
            ScramCredentialStore store = new ScramCredentialStore(curator, ScramPasswords.newCache());
            assertThatThrownBy(() -> SecurityConfiguration.createBootstrapAdmin(store, admin))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(store.describe("admin")).isEmpty();
        }
    }
}
