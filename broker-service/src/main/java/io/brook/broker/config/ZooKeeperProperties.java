package io.brook.broker.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** How the broker reaches ZooKeeper, under {@code brook.zookeeper}. */
@ConfigurationProperties("brook.zookeeper")
public class ZooKeeperProperties {

    /**
     * ZooKeeper connect string ({@code host:port,host:port/chroot}). Unset: the broker starts an
     * embedded ZooKeeper server (development).
     */
    private String connect = "";

    /** Session timeout: a broker silent this long is taken as dead and its partitions move. */
    private Duration sessionTimeout = Duration.ofSeconds(18);

    /** How long to wait for the first connection and the first metadata at start-up. */
    private Duration connectionTimeout = Duration.ofSeconds(30);

    /** Port of the embedded server, when there is one. */
    private int embeddedPort = 2181;

    /** Data directory of the embedded server, when there is one. */
    private String embeddedDataDir = "data/zookeeper";

    public String getConnect() {
        return connect;
    }

    public void setConnect(String connect) {
        this.connect = connect;
    }

    public Duration getSessionTimeout() {
        return sessionTimeout;
    }

    public void setSessionTimeout(Duration sessionTimeout) {
        this.sessionTimeout = sessionTimeout;
    }

    public Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    public void setConnectionTimeout(Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    public int getEmbeddedPort() {
        return embeddedPort;
    }

    public void setEmbeddedPort(int embeddedPort) {
        this.embeddedPort = embeddedPort;
    }

    public String getEmbeddedDataDir() {
        return embeddedDataDir;
    }

    public void setEmbeddedDataDir(String embeddedDataDir) {
        this.embeddedDataDir = embeddedDataDir;
    }
}
