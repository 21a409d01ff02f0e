package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.security.ScramCredentialStore;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.apache.kafka.common.requests.AlterUserScramCredentialsResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * AlterUserScramCredentials: upserts and deletes SCRAM credentials, one alteration per user per
 * request, with Kafka's per-user answers:
 *
 * <table>
 *   <caption>per-user errors</caption>
 *   <tr><th>case</th><th>error</th></tr>
 *   <tr><td>empty user name</td><td>UNACCEPTABLE_CREDENTIAL</td></tr>
 *   <tr><td>unknown mechanism</td><td>UNSUPPORTED_SASL_MECHANISM</td></tr>
 *   <tr><td>iterations below the mechanism's minimum (4096) or above 16384</td><td>UNACCEPTABLE_CREDENTIAL</td></tr>
 *   <tr><td>a user altered twice in the request</td><td>DUPLICATE_RESOURCE</td></tr>
 *   <tr><td>deleting a credential that does not exist</td><td>RESOURCE_NOT_FOUND</td></tr>
 * </table>
 *
 * <p>The client salts the password itself (KIP-554): an upsertion carries the salt, the
 * iterations and the salted password, from which the stored and server keys are derived here with
 * {@link ScramFormatter}, as Kafka does; the password never reaches the broker. Needs ALTER on the
 * cluster when an authorizer is on (CLUSTER_AUTHORIZATION_FAILED for the whole request
 * otherwise); works without an authorizer, as in Kafka.
 */
public final class AlterUserScramCredentialsHandler implements ApiHandler {

    private final ScramCredentialStore store;
    private final RequestAuthorization authorization;

    public AlterUserScramCredentialsHandler(ScramCredentialStore store, RequestAuthorization authorization) {
        this.store = store;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_USER_SCRAM_CREDENTIALS;
    }

    /** A validated alteration of one user's credential. */
    private record Alteration(String user, ScramMechanism mechanism, ScramCredential upsert) {}

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        authorization.requireCluster(request.context(), AclOperation.ALTER);
        AlterUserScramCredentialsRequestData data =
                request.body(AlterUserScramCredentialsRequest.class).data();
        Map<String, Alteration> alterations = new LinkedHashMap<>();
        Map<String, ApiError> errors = new LinkedHashMap<>();
        for (ScramCredentialDeletion deletion : data.deletions()) {
            admit(deletion.name(), deletion.mechanism(), null, alterations, errors);
        }
        for (ScramCredentialUpsertion upsertion : data.upsertions()) {
            admit(upsertion.name(), upsertion.mechanism(), upsertion, alterations, errors);
        }
        AlterUserScramCredentialsResponseData response = new AlterUserScramCredentialsResponseData();
        for (Alteration alteration : alterations.values()) {
            ApiError error;
            try {
                if (alteration.upsert() == null) {
                    store.delete(alteration.user(), alteration.mechanism());
                } else {
                    store.upsert(alteration.user(), alteration.mechanism(), alteration.upsert());
                }
                error = ApiError.NONE;
            } catch (RuntimeException e) {
                error = ApiError.fromThrowable(e);
            }
            response.results().add(result(alteration.user(), error));
        }
        errors.forEach((user, error) -> response.results().add(result(user, error)));
        return CompletableFuture.completedFuture(new AlterUserScramCredentialsResponse(response));
    }

    /** Validates one alteration; a user met before is refused, and so is its earlier alteration. */
    private static void admit(
            String user,
            byte mechanismType,
            ScramCredentialUpsertion upsertion,
            Map<String, Alteration> alterations,
            Map<String, ApiError> errors) {
        if (errors.containsKey(user)) {
            return;
        }
        if (alterations.remove(user) != null) {
            errors.put(
                    user,
                    new ApiError(
                            Errors.DUPLICATE_RESOURCE,
                            "A user credential cannot be altered twice in the same request"));
            return;
        }
        if (user.isEmpty()) {
            errors.put(user, new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty"));
            return;
        }
        org.apache.kafka.clients.admin.ScramMechanism known =
                org.apache.kafka.clients.admin.ScramMechanism.fromType(mechanismType);
        if (known == org.apache.kafka.clients.admin.ScramMechanism.UNKNOWN) {
            errors.put(user, new ApiError(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism"));
            return;
        }
        ScramMechanism mechanism = ScramMechanism.forMechanismName(known.mechanismName());
        if (upsertion == null) {
            alterations.put(user, new Alteration(user, mechanism, null));
            return;
        }
        if (upsertion.iterations() < mechanism.minIterations()) {
            errors.put(user, new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations"));
        } else if (upsertion.iterations() > mechanism.maxIterations()) {
            errors.put(user, new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations"));
        } else if (upsertion.salt().length == 0 || upsertion.saltedPassword().length == 0) {
            errors.put(
                    user, new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Salt and salted password must not be empty"));
        } else {
            try {
                ScramCredential credential = new ScramFormatter(mechanism)
                        .generateCredential(upsertion.salt(), upsertion.saltedPassword(), upsertion.iterations());
                alterations.put(user, new Alteration(user, mechanism, credential));
            } catch (GeneralSecurityException e) {
                errors.put(user, ApiError.fromThrowable(e));
            }
        }
    }

    private static AlterUserScramCredentialsResult result(String user, ApiError error) {
        return new AlterUserScramCredentialsResult()
                .setUser(user)
                .setErrorCode(error.error().code())
                .setErrorMessage(error.isSuccess() ? null : error.message());
    }
}
