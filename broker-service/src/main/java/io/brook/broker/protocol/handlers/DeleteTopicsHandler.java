package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.admin.ClusterAdmin;
import io.brook.cluster.metadata.MetadataCache;
import io.brook.cluster.metadata.MetadataImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteTopics: marks each topic for deletion through {@link ClusterAdmin} (by name, or from v6
 * by id, resolved against the metadata cache), then waits, up to the request's {@code timeoutMs}
 * and without holding the request thread, until this broker's metadata cache no longer has a
 * topic with that id: the controller has removed it and this broker has dropped its logs.
 *
 * <p>A topic still present at the deadline is answered {@code REQUEST_TIMED_OUT}, as Kafka's
 * ZooKeeper-mode broker does; its deletion goes on. Unknown names get {@code
 * UNKNOWN_TOPIC_OR_PARTITION}, unknown ids {@code UNKNOWN_TOPIC_ID}; a topic named both ways, or
 * twice, {@code INVALID_REQUEST}.
 *
 * <p>Authorization, as Kafka's: DELETE on each topic, TOPIC_AUTHORIZATION_FAILED without it
 * (checked before whether the topic exists, so that a name does not leak).
 */
public final class DeleteTopicsHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeleteTopicsHandler.class);

    private final ClusterAdmin admin;
    private final MetadataCache cache;
    private final RequestAuthorization authorization;

    public DeleteTopicsHandler(ClusterAdmin admin, MetadataCache cache, RequestAuthorization authorization) {
        this.authorization = authorization;
        this.admin = admin;
        this.cache = cache;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_TOPICS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        DeleteTopicsRequestData data = request.body(DeleteTopicsRequest.class).data();
        short version = request.version();
        List<DeleteTopicState> wanted = new ArrayList<>();
        if (version >= 6) {
            wanted.addAll(data.topics());
        } else {
            data.topicNames().forEach(name -> wanted.add(new DeleteTopicState().setName(name)));
        }
        MetadataImage image = cache.image();
        Set<String> seenNames = new HashSet<>();
        Set<Uuid> seenIds = new HashSet<>();
        List<DeletableTopicResult> results = new ArrayList<>();
        Map<Uuid, DeletableTopicResult> pending = new LinkedHashMap<>();
        for (DeleteTopicState topic : wanted) {
            boolean byId = topic.topicId() != null && !Uuid.ZERO_UUID.equals(topic.topicId());
            DeletableTopicResult result = new DeletableTopicResult().setName(topic.name());
            if (version >= 6) {
                result.setTopicId(byId ? topic.topicId() : Uuid.ZERO_UUID);
            }
            results.add(result);
            if (byId && topic.name() != null) {
                fail(result, Errors.INVALID_REQUEST, "Topic name and topic id can not both be specified.", version);
                continue;
            }
            if (!byId && topic.name() == null) {
                fail(result, Errors.INVALID_REQUEST, "Neither topic name nor topic id was specified.", version);
                continue;
            }
            if (byId ? !seenIds.add(topic.topicId()) : !seenNames.add(topic.name())) {
                fail(result, Errors.INVALID_REQUEST, "Duplicate topic in the request.", version);
                continue;
            }
            String name = topic.name();
            if (byId) {
                Optional<String> known = image.topicName(topic.topicId());
                if (known.isEmpty()) {
                    fail(result, Errors.UNKNOWN_TOPIC_ID, "Topic id " + topic.topicId() + " not found.", version);
                    continue;
                }
                name = known.get();
                result.setName(name);
            }
            if (!authorization.authorize(request.context(), AclOperation.DELETE, ResourceType.TOPIC, name)) {
                if (byId) {
                    result.setName(null); // the name is not for this caller to learn
                }
                fail(result, Errors.TOPIC_AUTHORIZATION_FAILED, "Authorization failed.", version);
                continue;
            }
            try {
                admin.deleteTopic(name);
                Uuid id = byId ? topic.topicId() : image.topicId(name).orElse(null);
                if (version >= 6 && id != null) {
                    result.setTopicId(id);
                }
                result.setErrorCode(Errors.NONE.code());
                if (id != null) {
                    pending.put(id, result);
                }
            } catch (ApiException e) {
                fail(result, Errors.forException(e), e.getMessage(), version);
            } catch (RuntimeException e) {
                LOG.error("Deleting topic {} failed", name, e);
                fail(result, Errors.forException(e), e.getMessage(), version);
            }
        }
        if (pending.isEmpty() || data.timeoutMs() <= 0) {
            return CompletableFuture.completedFuture(response(results));
        }
        return cache.awaitAsync(
                        i -> pending.keySet().stream()
                                .noneMatch(id -> i.topicName(id).isPresent()),
                        Duration.ofMillis(data.timeoutMs()))
                .thenApply(gone -> {
                    if (gone.isEmpty()) {
                        MetadataImage now = cache.image();
                        pending.forEach((id, result) -> {
                            if (now.topicName(id).isPresent()) {
                                fail(
                                        result,
                                        Errors.REQUEST_TIMED_OUT,
                                        "Topic '" + result.name() + "' is marked for deletion, but was not "
                                                + "deleted within " + data.timeoutMs() + " ms.",
                                        version);
                            }
                        });
                    }
                    return response(results);
                });
    }

    private static void fail(DeletableTopicResult result, Errors error, String message, short version) {
        result.setErrorCode(error.code());
        if (version >= 5) {
            result.setErrorMessage(message);
        }
    }

    private static DeleteTopicsResponse response(List<DeletableTopicResult> results) {
        DeleteTopicsResponseData data = new DeleteTopicsResponseData();
        results.forEach(data.responses()::add);
        return new DeleteTopicsResponse(data);
    }
}
