package io.brook.cluster.zk;

import org.apache.kafka.common.KafkaException;

/**
 * A conditional write lost: the znode was changed (or removed) since the version the writer read.
 * The writer should read again and decide anew.
 */
public class ZkVersionMismatchException extends KafkaException {

    private final String path;
    private final int expectedVersion;

    public ZkVersionMismatchException(String path, int expectedVersion) {
        super("znode " + path + " is no longer at version " + expectedVersion);
        this.path = path;
        this.expectedVersion = expectedVersion;
    }

    public String path() {
        return path;
    }

    public int expectedVersion() {
        return expectedVersion;
    }
}
