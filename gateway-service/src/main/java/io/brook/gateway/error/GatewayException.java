package io.brook.gateway.error;

/**
 * A failure the gateway answers with a given {@link ErrorCode}; the message is the problem's
 * {@code detail}, written for the user who sent the request.
 */
public class GatewayException extends RuntimeException {

    private final ErrorCode errorCode;

    public GatewayException(ErrorCode errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public GatewayException(ErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }
}
