package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.metadata.Endpoint;
import io.brook.cluster.metadata.MetadataCache;
import io.brook.cluster.metadata.MetadataImage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.EndpointType;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeCluster: the cluster id, the controller (a broker, in ZooKeeper mode) and the live
 * brokers with their endpoint on the listener the request came in on, from the metadata cache.
 * This is a broker endpoint: a request for a controller endpoint (v1+) gets {@code
 * MISMATCHED_ENDPOINT_TYPE}, an unknown type {@code UNSUPPORTED_ENDPOINT_TYPE}, as in Kafka.
 * No broker is ever fenced.
 *
 * <p>Authorization, as Kafka's: none to describe the cluster; the cluster's authorized operations
 * (when asked for) need DESCRIBE on it.
 */
public final class DescribeClusterHandler implements ApiHandler {

    private final MetadataCache cache;
    private final RequestAuthorization authorization;

    public DescribeClusterHandler(MetadataCache cache, RequestAuthorization authorization) {
        this.authorization = authorization;
        this.cache = cache;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        DescribeClusterRequestData data =
                request.body(DescribeClusterRequest.class).data();
        DescribeClusterResponseData response = new DescribeClusterResponseData();
        if (request.version() >= 1) {
            EndpointType wanted = EndpointType.fromId(data.endpointType());
            if (wanted == EndpointType.UNKNOWN) {
                return answer(response.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                        .setErrorMessage("Unsupported endpoint type " + data.endpointType()));
            }
            if (wanted != EndpointType.BROKER) {
                return answer(response.setErrorCode(Errors.MISMATCHED_ENDPOINT_TYPE.code())
                        .setErrorMessage("The request was sent to an endpoint of type BROKER, but we wanted an "
                                + "endpoint of type " + wanted));
            }
            response.setEndpointType(EndpointType.BROKER.id());
        }
        MetadataImage image = cache.image();
        String listener = request.context().listenerName.value();
        response.setErrorCode(Errors.NONE.code())
                .setClusterId(image.clusterId().orElse(""))
                .setControllerId(image.controllerId().orElse(-1))
                .setClusterAuthorizedOperations(clusterAuthorizedOperations(request, data));
        for (BrokerRegistration broker : image.brokers().values()) {
            Optional<Endpoint> endpoint = broker.endpoint(listener);
            endpoint.ifPresent(e -> response.brokers()
                    .add(new DescribeClusterBroker()
                            .setBrokerId(broker.id())
                            .setHost(e.host())
                            .setPort(e.port())
                            .setRack(broker.rack().orElse(null))
                            .setIsFenced(false)));
        }
        return answer(response);
    }

    /**
     * Not reported without an authorizer ({@code Integer.MIN_VALUE}) or when not asked for; with
     * one, the cluster operations allowed, or none without DESCRIBE on the cluster.
     */
    private int clusterAuthorizedOperations(KafkaRequest request, DescribeClusterRequestData data) {
        if (!authorization.enabled() || !data.includeClusterAuthorizedOperations()) {
            return Integer.MIN_VALUE;
        }
        if (!authorization.authorizeCluster(request.context(), AclOperation.DESCRIBE)) {
            return 0;
        }
        return authorization.authorizedOperations(
                request.context(), ResourceType.CLUSTER, RequestAuthorization.CLUSTER_NAME);
    }

    private static CompletableFuture<AbstractResponse> answer(DescribeClusterResponseData response) {
        return CompletableFuture.completedFuture(new DescribeClusterResponse(response));
    }
}
