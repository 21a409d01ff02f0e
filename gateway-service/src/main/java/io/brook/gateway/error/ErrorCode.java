package io.brook.gateway.error;

import org.springframework.http.HttpStatus;

/**
 * The gateway's error codes: the HTTP status, and a five-digit {@code error_code} in the response
 * body that names the cause within the status, in the style of the Confluent REST Proxy (status
 * times 100 plus a number; 40401 and 40402 keep Confluent's meaning of unknown topic and unknown
 * partition, and 40403 is reserved for its unknown consumer instance).
 *
 * <table>
 *   <caption>Codes and what causes them</caption>
 *   <tr><th>code</th><th>status</th><th>cause</th><th>Kafka errors mapped here</th></tr>
 *   <tr><td>40001</td><td>400</td><td>malformed JSON body</td><td></td></tr>
 *   <tr><td>40002</td><td>400</td><td>invalid request: a missing or wrong field, bad base64, a bad parameter</td>
 *       <td>INVALID_REQUEST, INVALID_RECORD, INVALID_TIMESTAMP</td></tr>
 *   <tr><td>40101</td><td>401</td><td>not authenticated: no credentials, wrong ones, or an expired or forged
 *       token (with {@code WWW-Authenticate}; security on)</td><td></td></tr>
 *   <tr><td>40301</td><td>403</td><td>authenticated, but the ACLs do not allow the operation on the resource</td>
 *       <td>TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED,
 *       TRANSACTIONAL_ID_AUTHORIZATION_FAILED, DELEGATION_TOKEN_AUTHORIZATION_FAILED</td></tr>
 *   <tr><td>40401</td><td>404</td><td>topic not found</td><td>UNKNOWN_TOPIC_OR_PARTITION (topic)</td></tr>
 *   <tr><td>40402</td><td>404</td><td>partition not found</td><td>UNKNOWN_TOPIC_OR_PARTITION (partition)</td></tr>
 *   <tr><td>40403</td><td>404</td><td>consumer instance not found (REST v2 consumers)</td><td></td></tr>
 *   <tr><td>40404</td><td>404</td><td>cluster not found: the path names another cluster id</td><td></td></tr>
 *   <tr><td>40405</td><td>404</td><td>broker not found</td><td>BROKER_NOT_AVAILABLE</td></tr>
 *   <tr><td>40406</td><td>404</td><td>consumer group (or member) not found</td><td>GROUP_ID_NOT_FOUND</td></tr>
 *   <tr><td>40407</td><td>404</td><td>config not found</td><td></td></tr>
 *   <tr><td>40501</td><td>405</td><td>method not allowed</td><td></td></tr>
 *   <tr><td>40601</td><td>406</td><td>no acceptable response type</td><td></td></tr>
 *   <tr><td>40901</td><td>409</td><td>topic already exists</td><td>TOPIC_ALREADY_EXISTS</td></tr>
 *   <tr><td>40902</td><td>409</td><td>consumer group not empty (offset reset needs an empty group)</td>
 *       <td>NON_EMPTY_GROUP, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS</td></tr>
 *   <tr><td>40903</td><td>409</td><td>a consumer instance of that name already exists in the group (REST v2
 *       consumers)</td><td></td></tr>
 *   <tr><td>41301</td><td>413</td><td>record too large</td><td>MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE</td></tr>
 *   <tr><td>41302</td><td>413</td><td>request body too large, or too many records in one request</td><td></td></tr>
 *   <tr><td>41501</td><td>415</td><td>unsupported content type</td><td></td></tr>
 *   <tr><td>41601</td><td>416</td><td>offset out of range of the partition's log</td><td>OFFSET_OUT_OF_RANGE</td></tr>
 *   <tr><td>42201</td><td>422</td><td>invalid topic settings: name, partitions, replication factor or config</td>
 *       <td>INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_CONFIG,
 *       POLICY_VIOLATION, INVALID_REPLICA_ASSIGNMENT</td></tr>
 *   <tr><td>42901</td><td>429</td><td>too many record searches running at once; try again later</td><td></td></tr>
 *   <tr><td>50001</td><td>500</td><td>internal error of the gateway</td><td></td></tr>
 *   <tr><td>50002</td><td>500</td><td>error returned by the cluster</td><td>any other non-retriable error</td></tr>
 *   <tr><td>50301</td><td>503</td><td>cluster unavailable (retriable; try again)</td>
 *       <td>any retriable error: NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE, NOT_ENOUGH_REPLICAS,
 *       COORDINATOR_NOT_AVAILABLE, ...</td></tr>
 *   <tr><td>50401</td><td>504</td><td>timed out waiting for the cluster; a produce may still have been
 *       written</td><td>REQUEST_TIMED_OUT, client timeouts</td></tr>
 * </table>
 */
public enum ErrorCode {
    MALFORMED_JSON(HttpStatus.BAD_REQUEST, 40001, "Malformed JSON"),
    INVALID_REQUEST(HttpStatus.BAD_REQUEST, 40002, "Invalid request"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, 40101, "Unauthorized"),
    FORBIDDEN(HttpStatus.FORBIDDEN, 40301, "Forbidden"),
    TOPIC_NOT_FOUND(HttpStatus.NOT_FOUND, 40401, "Topic not found"),
    PARTITION_NOT_FOUND(HttpStatus.NOT_FOUND, 40402, "Partition not found"),
    CONSUMER_INSTANCE_NOT_FOUND(HttpStatus.NOT_FOUND, 40403, "Consumer instance not found"),
    CLUSTER_NOT_FOUND(HttpStatus.NOT_FOUND, 40404, "Cluster not found"),
    BROKER_NOT_FOUND(HttpStatus.NOT_FOUND, 40405, "Broker not found"),
    GROUP_NOT_FOUND(HttpStatus.NOT_FOUND, 40406, "Consumer group not found"),
    CONFIG_NOT_FOUND(HttpStatus.NOT_FOUND, 40407, "Config not found"),
    NOT_FOUND(HttpStatus.NOT_FOUND, 40408, "Not found"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, 40501, "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, 40601, "Not acceptable"),
    TOPIC_EXISTS(HttpStatus.CONFLICT, 40901, "Topic already exists"),
    GROUP_NOT_EMPTY(HttpStatus.CONFLICT, 40902, "Consumer group not empty"),
    CONSUMER_INSTANCE_EXISTS(HttpStatus.CONFLICT, 40903, "Consumer instance already exists"),
    RECORD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, 41301, "Record too large"),
    REQUEST_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, 41302, "Request too large"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 41501, "Unsupported media type"),
    OFFSET_OUT_OF_RANGE(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, 41601, "Offset out of range"),
    INVALID_TOPIC_SETTINGS(HttpStatus.UNPROCESSABLE_CONTENT, 42201, "Invalid topic settings"),
    TOO_MANY_REQUESTS(HttpStatus.TOO_MANY_REQUESTS, 42901, "Too many requests"),
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, 50001, "Internal error"),
    KAFKA_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, 50002, "Kafka error"),
    SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, 50301, "Cluster unavailable"),
    TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, 50401, "Timed out");

    private final HttpStatus status;
    private final int code;
    private final String title;

    ErrorCode(HttpStatus status, int code, String title) {
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    /** The {@code error_code} of the response body. */
    public int code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** The generic code of an HTTP status that no more specific cause explains. */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> INVALID_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> REQUEST_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> SERVICE_UNAVAILABLE;
            case 504 -> TIMEOUT;
            default -> status >= 500 ? INTERNAL : INVALID_REQUEST;
        };
    }
}
