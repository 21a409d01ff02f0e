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
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CreatePartitions: grows each topic to its new total count through {@link ClusterAdmin} (placed
 * as Kafka places them, or by the given assignments, one replica list per new partition; {@code
 * validateOnly}), then waits, up to {@code timeoutMs} and without holding the request thread,
 * until this broker's metadata cache shows every new partition with a state. Like CreateTopics,
 * a topic written but not visible in time is answered {@code REQUEST_TIMED_OUT}; a topic named
 * twice {@code INVALID_REQUEST}.
 *
 * <p>Authorization, as Kafka's: ALTER on each topic, TOPIC_AUTHORIZATION_FAILED without it.
 */
public final class CreatePartitionsHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CreatePartitionsHandler.class);

    private final ClusterAdmin admin;
    private final MetadataCache cache;
    private final RequestAuthorization authorization;

    public CreatePartitionsHandler(ClusterAdmin admin, MetadataCache cache, RequestAuthorization authorization) {
        this.authorization = authorization;
        this.admin = admin;
        this.cache = cache;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        CreatePartitionsRequestData data =
                request.body(CreatePartitionsRequest.class).data();
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreatePartitionsTopic topic : data.topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        List<CreatePartitionsTopicResult> results = new ArrayList<>();
        Map<String, Integer> written = new LinkedHashMap<>();
        Map<String, CreatePartitionsTopicResult> byName = new LinkedHashMap<>();
        for (CreatePartitionsTopic topic : data.topics()) {
            CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(topic.name());
            results.add(result);
            if (duplicates.contains(topic.name())) {
                fail(result, Errors.INVALID_REQUEST, "Duplicate topic in request.");
                continue;
            }
            if (!authorization.authorize(request.context(), AclOperation.ALTER, ResourceType.TOPIC, topic.name())) {
                fail(result, Errors.TOPIC_AUTHORIZATION_FAILED, "Authorization failed.");
                continue;
            }
            Optional<List<List<Integer>>> manual = Optional.empty();
            if (topic.assignments() != null) {
                List<List<Integer>> lists = new ArrayList<>();
                for (CreatePartitionsAssignment a : topic.assignments()) {
                    lists.add(List.copyOf(a.brokerIds()));
                }
                manual = Optional.of(lists);
            }
            try {
                admin.createPartitions(topic.name(), topic.count(), manual, data.validateOnly());
                result.setErrorCode(Errors.NONE.code()).setErrorMessage(null);
                if (!data.validateOnly()) {
                    written.put(topic.name(), topic.count());
                    byName.put(topic.name(), result);
                }
            } catch (ApiException e) {
                fail(result, Errors.forException(e), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Creating partitions of {} failed", topic.name(), e);
                fail(result, Errors.forException(e), e.getMessage());
            }
        }
        if (written.isEmpty() || data.timeoutMs() <= 0) {
            return CompletableFuture.completedFuture(response(results));
        }
        return cache.awaitAsync(
                        image -> written.entrySet().stream().allMatch(e -> ready(image, e.getKey(), e.getValue())),
                        Duration.ofMillis(data.timeoutMs()))
                .thenApply(ready -> {
                    if (ready.isEmpty()) {
                        MetadataImage image = cache.image();
                        written.forEach((name, count) -> {
                            if (!ready(image, name, count)) {
                                fail(
                                        byName.get(name),
                                        Errors.REQUEST_TIMED_OUT,
                                        "The partitions of '" + name + "' were created, but did not come up within "
                                                + data.timeoutMs() + " ms.");
                            }
                        });
                    }
                    return response(results);
                });
    }

    private static boolean ready(MetadataImage image, String topic, int count) {
        return image.topic(topic).map(t -> t.numPartitions() >= count).orElse(false) && image.isTopicReady(topic);
    }

    private static void fail(CreatePartitionsTopicResult result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message);
    }

    private static CreatePartitionsResponse response(List<CreatePartitionsTopicResult> results) {
        CreatePartitionsResponseData data = new CreatePartitionsResponseData();
        data.results().addAll(results);
        return new CreatePartitionsResponse(data);
    }
}
