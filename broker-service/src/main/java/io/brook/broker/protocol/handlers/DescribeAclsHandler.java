package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;

/**
 * DescribeAcls: the bindings that match the request's filter, grouped by resource pattern. Needs
 * DESCRIBE on the cluster (CLUSTER_AUTHORIZATION_FAILED otherwise); without an authorizer the
 * answer is SECURITY_DISABLED, as in Kafka.
 */
public final class DescribeAclsHandler implements ApiHandler {

    private final RequestAuthorization authorization;

    public DescribeAclsHandler(RequestAuthorization authorization) {
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_ACLS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        var authorizer = authorization.requireAuthorizer();
        authorization.requireCluster(request.context(), AclOperation.DESCRIBE);
        DescribeAclsRequest describe = request.body(DescribeAclsRequest.class);
        DescribeAclsResponseData response = new DescribeAclsResponseData()
                .setErrorCode(Errors.NONE.code())
                .setResources(DescribeAclsResponse.aclsResources(authorizer.acls(describe.filter())));
        return CompletableFuture.completedFuture(new DescribeAclsResponse(response, request.version()));
    }
}
