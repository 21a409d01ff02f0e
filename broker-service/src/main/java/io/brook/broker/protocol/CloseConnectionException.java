package io.brook.broker.protocol;

/**
 * Thrown (or completed exceptionally) by a handler whose request must be answered by closing the
 * connection, in its turn after the responses before it, as Kafka does for a failed {@code
 * acks=0} produce.
 */
public final class CloseConnectionException extends RuntimeException {

    public CloseConnectionException(String message) {
        super(message);
    }
}
