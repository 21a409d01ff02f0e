package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.server.authorizer.AclCreateResult;

/**
 * CreateAcls: adds ACL bindings through the authorizer, answering each creation on its own (an
 * invalid binding gets INVALID_REQUEST, the others are still added). Needs ALTER on the cluster
 * (CLUSTER_AUTHORIZATION_FAILED otherwise); without an authorizer every creation gets
 * SECURITY_DISABLED, as in Kafka.
 */
public final class CreateAclsHandler implements ApiHandler {

    private final RequestAuthorization authorization;

    public CreateAclsHandler(RequestAuthorization authorization) {
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_ACLS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        var authorizer = authorization.requireAuthorizer();
        authorization.requireCluster(request.context(), AclOperation.ALTER);
        List<AclCreation> creations = request.body(CreateAclsRequest.class).aclCreations();
        List<AclBinding> bindings = new ArrayList<>(creations.size());
        for (AclCreation creation : creations) {
            bindings.add(CreateAclsRequest.aclBinding(creation)); // unknown codes become UNKNOWN, refused below
        }
        List<AclCreationResult> results = new ArrayList<>(creations.size());
        for (CompletionStage<AclCreateResult> created : authorizer.createAcls(request.context(), bindings)) {
            AclCreateResult result = created.toCompletableFuture().join();
            AclCreationResult answer = new AclCreationResult().setErrorCode(Errors.NONE.code());
            result.exception().ifPresent(e -> {
                ApiError error = ApiError.fromThrowable(e);
                answer.setErrorCode(error.error().code()).setErrorMessage(error.message());
            });
            results.add(answer);
        }
        return CompletableFuture.completedFuture(
                new CreateAclsResponse(new CreateAclsResponseData().setResults(results)));
    }
}
