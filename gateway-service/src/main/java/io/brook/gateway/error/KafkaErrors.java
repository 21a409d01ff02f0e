package io.brook.gateway.error;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Maps a failure to the gateway's {@link ErrorCode}, by class: a {@link GatewayException} keeps
 * its code; a Kafka exception goes through Kafka's own {@link Errors#forException} and the table
 * in {@link ErrorCode}; anything else is an internal error. Never by message text.
 */
public final class KafkaErrors {

    private KafkaErrors() {}

    /** A failure with its code and the message to show. */
    public record Failure(ErrorCode code, String message) {}

    public static Failure classify(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof GatewayException g) {
            return new Failure(g.errorCode(), g.getMessage());
        }
        if (e instanceof java.util.concurrent.TimeoutException) {
            return new Failure(ErrorCode.TIMEOUT, "Timed out waiting for the cluster.");
        }
        if (e instanceof InvalidOffsetException) {
            // The consumer's own exception (auto.offset.reset=none), not one of Kafka's Errors.
            return new Failure(ErrorCode.OFFSET_OUT_OF_RANGE, e.getMessage());
        }
        Errors kafka = Errors.forException(e);
        String message = e.getMessage() != null ? e.getMessage() : kafka.message();
        return new Failure(codeOf(kafka, e), message);
    }

    static ErrorCode codeOf(Errors kafka, Throwable e) {
        return switch (kafka) {
            case UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_TOPIC_ID -> ErrorCode.TOPIC_NOT_FOUND;
            case INVALID_REQUEST, INVALID_RECORD, INVALID_TIMESTAMP, CORRUPT_MESSAGE -> ErrorCode.INVALID_REQUEST;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE -> ErrorCode.RECORD_TOO_LARGE;
            case OFFSET_OUT_OF_RANGE -> ErrorCode.OFFSET_OUT_OF_RANGE;
            case TOPIC_ALREADY_EXISTS -> ErrorCode.TOPIC_EXISTS;
            case NON_EMPTY_GROUP, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION ->
                ErrorCode.GROUP_NOT_EMPTY;
            case GROUP_ID_NOT_FOUND -> ErrorCode.GROUP_NOT_FOUND;
            case INVALID_TOPIC_EXCEPTION,
                    INVALID_PARTITIONS,
                    INVALID_REPLICATION_FACTOR,
                    INVALID_REPLICA_ASSIGNMENT,
                    INVALID_CONFIG,
                    POLICY_VIOLATION -> ErrorCode.INVALID_TOPIC_SETTINGS;
            case REQUEST_TIMED_OUT -> ErrorCode.TIMEOUT;
            case TOPIC_AUTHORIZATION_FAILED,
                    GROUP_AUTHORIZATION_FAILED,
                    CLUSTER_AUTHORIZATION_FAILED,
                    TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                    DELEGATION_TOKEN_AUTHORIZATION_FAILED -> ErrorCode.FORBIDDEN;
            default -> e instanceof RetriableException ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.KAFKA_ERROR;
        };
    }

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
