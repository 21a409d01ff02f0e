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
 * AlterUserScramCredentials: upserts and deletes SCRAM credentials, at most one alteration per
 * user and mechanism in a request (so SCRAM-SHA-256 and -512 of a user together, as {@code
 * kafka-configs} sends them), with Kafka's per-user answers; an error fails all of that user's
 * alterations:
 *
 * <table>
 *   <caption>per-user errors</caption>
 *   <tr><th>case</th><th>error</th></tr>
 *   <tr><td>empty user name</td><td>UNACCEPTABLE_CREDENTIAL</td></tr>
 *   <tr><td>unknown mechanism</td><td>UNSUPPORTED_SASL_MECHANISM</td></tr>
 *   <tr><td>iterations below the mechanism's minimum (4096) or above 16384</td><td>UNACCEPTABLE_CREDENTIAL</td></tr>
 *   <tr><td>a user and mechanism altered twice in the request</td><td>DUPLICATE_RESOURCE</td></tr>
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
        Map<String, Map<ScramMechanism, Alteration>> alterations = new LinkedHashMap<>();
        Map<String, ApiError> errors = new LinkedHashMap<>();
        for (ScramCredentialDeletion deletion : data.deletions()) {
            admit(deletion.name(), deletion.mechanism(), null, alterations, errors);
        }
        for (ScramCredentialUpsertion upsertion : data.upsertions()) {
            admit(upsertion.name(), upsertion.mechanism(), upsertion, alterations, errors);
        }
        AlterUserScramCredentialsResponseData response = new AlterUserScramCredentialsResponseData();
        for (var user : alterations.entrySet()) {
            ApiError error = ApiError.NONE;
            try {
                for (Alteration alteration : user.getValue().values()) {
                    if (alteration.upsert() == null) {
                        store.delete(alteration.user(), alteration.mechanism());
                    } else {
                        store.upsert(alteration.user(), alteration.mechanism(), alteration.upsert());
                    }
                }
            } catch (RuntimeException e) {
                error = ApiError.fromThrowable(e);
            }
            response.results().add(result(user.getKey(), error));
        }
        errors.forEach((user, error) -> response.results().add(result(user, error)));
        return CompletableFuture.completedFuture(new AlterUserScramCredentialsResponse(response));
    }

    /**
     * Validates one alteration. As in Kafka, a user may have one alteration per mechanism in a
     * request (kafka-configs and Admin set SCRAM-SHA-256 and -512 together); the same user and
     * mechanism twice, or any invalid alteration, fails that user's every alteration.
     */
    private static void admit(
            String user,
            byte mechanismType,
            ScramCredentialUpsertion upsertion,
            Map<String, Map<ScramMechanism, Alteration>> alterations,
            Map<String, ApiError> errors) {
        if (errors.containsKey(user)) {
            return;
        }
        ApiError error = validate(user, mechanismType, upsertion);
        if (error != null) {
            alterations.remove(user);
            errors.put(user, error);
            return;
        }
        ScramMechanism mechanism = mechanism(mechanismType);
        Map<ScramMechanism, Alteration> ofUser = alterations.computeIfAbsent(user, u -> new LinkedHashMap<>());
        if (ofUser.containsKey(mechanism)) {
            alterations.remove(user);
            errors.put(
                    user,
                    new ApiError(
                            Errors.DUPLICATE_RESOURCE,
                            "A user credential cannot be altered twice in the same request"));
            return;
        }
        if (upsertion == null) {
            ofUser.put(mechanism, new Alteration(user, mechanism, null));
            return;
        }
        try {
            ScramCredential credential = new ScramFormatter(mechanism)
                    .generateCredential(upsertion.salt(), upsertion.saltedPassword(), upsertion.iterations());
            ofUser.put(mechanism, new Alteration(user, mechanism, credential));
        } catch (GeneralSecurityException e) {
            alterations.remove(user);
            errors.put(user, ApiError.fromThrowable(e));
        }
    }

    private static ScramMechanism mechanism(byte mechanismType) {
        org.apache.kafka.clients.admin.ScramMechanism known =
                org.apache.kafka.clients.admin.ScramMechanism.fromType(mechanismType);
        return known == org.apache.kafka.clients.admin.ScramMechanism.UNKNOWN
                ? null
                : ScramMechanism.forMechanismName(known.mechanismName());
    }

    /** Kafka's checks of one alteration; null when it is acceptable. */
    private static ApiError validate(String user, byte mechanismType, ScramCredentialUpsertion upsertion) {
        if (user.isEmpty()) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
        }
        ScramMechanism mechanism = mechanism(mechanismType);
        if (mechanism == null) {
            return new ApiError(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
        }
        if (upsertion == null) {
            return null;
        }
        if (upsertion.iterations() < mechanism.minIterations()) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations");
        }
        if (upsertion.iterations() > mechanism.maxIterations()) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations");
        }
        if (upsertion.salt().length == 0 || upsertion.saltedPassword().length == 0) {
            return new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Salt and salted password must not be empty");
        }
        return null;
    }

    private static AlterUserScramCredentialsResult result(String user, ApiError error) {
        return new AlterUserScramCredentialsResult()
                .setUser(user)
                .setErrorCode(error.error().code())
                .setErrorMessage(error.isSuccess() ? null : error.message());
    }
}
