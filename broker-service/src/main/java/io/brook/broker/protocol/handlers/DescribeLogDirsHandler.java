package io.brook.broker.protocol.handlers;

import io.brook.broker.log.LogManager;
import io.brook.broker.log.PartitionLog;
import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;

/**
 * DescribeLogDirs (what {@code kafka-log-dirs --describe} and {@code Admin.describeLogDirs} send):
 * for each data directory of this broker, the partition replicas it holds with their size (bytes
 * of all segments) and offset lag, and the volume's total and usable bytes (v4+).
 *
 * <p>As in Kafka: the request needs CLUSTER DESCRIBE (else {@code CLUSTER_AUTHORIZATION_FAILED});
 * topics null means every partition; a named partition this broker does not hold
 * is left out (not an error); the offset lag of a current replica is {@code max(0, HW - LEO)},
 * which is 0 for a replica that is not behind its own high watermark, and Brook has no future
 * replicas ({@code AlterReplicaLogDirs} is not served), so {@code is_future_key} is always false. A
 * partition whose log went offline after a disk error is left out, as Kafka leaves out the
 * partitions of an offline directory; the volume sizes of a directory that cannot be read are -1.
 *
 * <p>Threading: answers at once from the logs' current sizes; the logs' {@link PartitionLog#size()}
 * reads the segment map without locks, so a size may be one append behind.
 */
public final class DescribeLogDirsHandler implements ApiHandler {

    private static final Comparator<TopicPartition> BY_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final LogManager logs;
    private final RequestAuthorization authorization;

    public DescribeLogDirsHandler(LogManager logs, RequestAuthorization authorization) {
        this.logs = logs;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_LOG_DIRS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        // Kafka's rule: CLUSTER DESCRIBE, else CLUSTER_AUTHORIZATION_FAILED for the whole request.
        authorization.requireCluster(request.context(), AclOperation.DESCRIBE);
        DescribeLogDirsRequestData data =
                request.body(DescribeLogDirsRequest.class).data();
        Map<File, Map<TopicPartition, PartitionLog>> byDir = new LinkedHashMap<>();
        for (File dir : logs.dataDirs()) {
            byDir.put(dir.getAbsoluteFile(), new TreeMap<>(BY_PARTITION));
        }
        logs.allLogs().forEach((tp, log) -> {
            if (!log.isOffline() && wanted(data, tp)) {
                Map<TopicPartition, PartitionLog> inDir =
                        byDir.get(log.dir().getAbsoluteFile().getParentFile());
                if (inDir != null) {
                    inDir.put(tp, log);
                }
            }
        });
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData().setErrorCode(Errors.NONE.code());
        byDir.forEach((dir, inDir) -> response.results().add(result(dir, inDir)));
        return CompletableFuture.completedFuture(new DescribeLogDirsResponse(response));
    }

    private static boolean wanted(DescribeLogDirsRequestData data, TopicPartition tp) {
        if (data.topics() == null) {
            return true;
        }
        DescribableLogDirTopic topic = data.topics().find(tp.topic());
        return topic != null && topic.partitions().contains(tp.partition());
    }

    private static DescribeLogDirsResult result(File dir, Map<TopicPartition, PartitionLog> inDir) {
        Map<String, List<DescribeLogDirsPartition>> byTopic = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, PartitionLog> entry : inDir.entrySet()) {
            TopicPartition tp = entry.getKey();
            PartitionLog log = entry.getValue();
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                    .add(new DescribeLogDirsPartition()
                            .setPartitionIndex(tp.partition())
                            .setPartitionSize(log.size())
                            .setOffsetLag(Math.max(0, log.highWatermark() - log.logEndOffset()))
                            .setIsFutureKey(false));
        }
        DescribeLogDirsResult result = new DescribeLogDirsResult()
                .setErrorCode(Errors.NONE.code())
                .setLogDir(dir.getPath())
                .setTotalBytes(-1)
                .setUsableBytes(-1);
        byTopic.forEach((topic, partitions) ->
                result.topics().add(new DescribeLogDirsTopic().setName(topic).setPartitions(partitions)));
        try {
            FileStore store = Files.getFileStore(dir.toPath());
            result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
        } catch (IOException e) {
            // The sizes stay -1 ("unknown"), as Kafka answers for a volume it cannot stat.
        }
        return result;
    }
}
