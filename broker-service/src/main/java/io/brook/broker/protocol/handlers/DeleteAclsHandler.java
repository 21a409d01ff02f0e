package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsResponse;
import org.apache.kafka.server.authorizer.AclDeleteResult;

/**
 * DeleteAcls: deletes the bindings each filter matches and answers, per filter, the bindings
 * deleted. Needs ALTER on the cluster (CLUSTER_AUTHORIZATION_FAILED otherwise); without an
 * authorizer the answer is SECURITY_DISABLED, as in Kafka.
 */
public final class DeleteAclsHandler implements ApiHandler {

    private final RequestAuthorization authorization;

    public DeleteAclsHandler(RequestAuthorization authorization) {
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_ACLS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        var authorizer = authorization.requireAuthorizer();
        authorization.requireCluster(request.context(), AclOperation.ALTER);
        DeleteAclsRequest delete = request.body(DeleteAclsRequest.class);
        List<? extends CompletionStage<AclDeleteResult>> deleted =
                authorizer.deleteAcls(request.context(), delete.filters());
        List<DeleteAclsFilterResult> results = new ArrayList<>(deleted.size());
        for (CompletionStage<AclDeleteResult> result : deleted) {
            results.add(
                    DeleteAclsResponse.filterResult(result.toCompletableFuture().join()));
        }
        return CompletableFuture.completedFuture(
                new DeleteAclsResponse(new DeleteAclsResponseData().setFilterResults(results), request.version()));
    }
}
