package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.security.ScramCredentialStore;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;

/**
 * DescribeUserScramCredentials: the SCRAM mechanisms and iteration counts of users (never salts
 * or keys). No user named (null or empty list): every user with a credential. A named user
 * without one gets RESOURCE_NOT_FOUND, a user named twice DUPLICATE_RESOURCE, as in Kafka. Needs
 * DESCRIBE on the cluster when an authorizer is on (CLUSTER_AUTHORIZATION_FAILED for the whole
 * request otherwise); works without an authorizer, as in Kafka.
 */
public final class DescribeUserScramCredentialsHandler implements ApiHandler {

    private final ScramCredentialStore store;
    private final RequestAuthorization authorization;

    public DescribeUserScramCredentialsHandler(ScramCredentialStore store, RequestAuthorization authorization) {
        this.store = store;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        authorization.requireCluster(request.context(), AclOperation.DESCRIBE);
        DescribeUserScramCredentialsRequestData data =
                request.body(DescribeUserScramCredentialsRequest.class).data();
        DescribeUserScramCredentialsResponseData response =
                new DescribeUserScramCredentialsResponseData().setErrorCode(Errors.NONE.code());
        if (data.users() == null || data.users().isEmpty()) {
            store.describe().forEach((user, infos) -> response.results().add(found(user, infos)));
        } else {
            Set<String> seen = new HashSet<>();
            Set<String> duplicated = new HashSet<>();
            for (DescribeUserScramCredentialsRequestData.UserName user : data.users()) {
                if (!seen.add(user.name())) {
                    duplicated.add(user.name());
                }
            }
            for (String user : seen) {
                if (duplicated.contains(user)) {
                    response.results()
                            .add(failed(
                                    user,
                                    Errors.DUPLICATE_RESOURCE,
                                    "Cannot describe SCRAM credentials for the same user twice in a single request: "
                                            + user));
                    continue;
                }
                Optional<List<ScramCredentialInfo>> infos = user.isEmpty() ? Optional.empty() : store.describe(user);
                response.results()
                        .add(infos.map(i -> found(user, i))
                                .orElseGet(() -> failed(
                                        user,
                                        Errors.RESOURCE_NOT_FOUND,
                                        "Attempt to describe a user credential that does not exist: " + user)));
            }
        }
        return CompletableFuture.completedFuture(new DescribeUserScramCredentialsResponse(response));
    }

    private static DescribeUserScramCredentialsResult found(String user, List<ScramCredentialInfo> infos) {
        DescribeUserScramCredentialsResult result =
                new DescribeUserScramCredentialsResult().setUser(user).setErrorCode(Errors.NONE.code());
        for (ScramCredentialInfo info : infos) {
            result.credentialInfos()
                    .add(new CredentialInfo()
                            .setMechanism(info.mechanism().type())
                            .setIterations(info.iterations()));
        }
        return result;
    }

    private static DescribeUserScramCredentialsResult failed(String user, Errors error, String message) {
        return new DescribeUserScramCredentialsResult()
                .setUser(user)
                .setErrorCode(error.code())
                .setErrorMessage(message);
    }
}
