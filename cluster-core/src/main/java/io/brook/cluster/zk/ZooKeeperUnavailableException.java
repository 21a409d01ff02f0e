package io.brook.cluster.zk;

import org.apache.kafka.common.errors.TimeoutException;

/**
 * ZooKeeper could not be reached within Curator's retries (connection loss, session expiry,
 * operation timeout). A subclass of Kafka's {@link TimeoutException} so that {@code
 * Errors.forException} answers clients with the retriable {@code REQUEST_TIMED_OUT}.
 */
public class ZooKeeperUnavailableException extends TimeoutException {

    public ZooKeeperUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
