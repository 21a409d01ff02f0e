package io.brook.gateway.http.consume;

import io.brook.gateway.http.RecordFormat;
import io.brook.gateway.http.consume.ReadJson.ReadResponse;
import io.brook.gateway.kafka.ClusterMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Stateless consume: {@code GET
 * /v3/clusters/{cluster_id}/topics/{topic_name}/partitions/{partition_id}/records?offset=&max_records=&max_bytes=&timeout_ms=&format=}
 * (or {@code timestamp=} instead of {@code offset}: from a time).
 * Confluent's v3 has no consume; the parameters are Redpanda's and the Confluent v2 poll's
 * ({@code max_bytes}, a timeout), the record shape is v3's produce shape, so records read can be
 * produced again unchanged. See {@link PartitionReader} for the limits and {@link RecordFormat}
 * for {@code format}.
 */
@RestController
class RecordsReadController {

    private final PartitionReader reader;
    private final ClusterMetadata metadata;
    private final RecordFormat format;

    RecordsReadController(PartitionReader reader, ClusterMetadata metadata, RecordFormat format) {
        this.reader = reader;
        this.metadata = metadata;
        this.format = format;
    }

    @Operation(operationId = "readRecords", summary = "Read records of a partition from an offset (no group)")
    @GetMapping(
            path = "/v3/clusters/{cluster_id}/topics/{topic_name}/partitions/{partition_id}/records",
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ReadResponse> read(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String topic,
            @PathVariable("partition_id") int partition,
            @Parameter(description = "first offset to read; default the log start")
                    @RequestParam(name = "offset", required = false)
                    Long offset,
            @Parameter(
                            description = "read from the first record at or after this time (epoch ms) instead of"
                                    + " an offset; not with offset")
                    @RequestParam(name = "timestamp", required = false)
                    Long timestamp,
            @Parameter(description = "most records to return (default 500)")
                    @RequestParam(name = "max_records", required = false)
                    Integer maxRecords,
            @Parameter(description = "most key+value bytes to return; the first record always comes (default 1 MiB)")
                    @RequestParam(name = "max_bytes", required = false)
                    Long maxBytes,
            @Parameter(description = "how long to wait for records (default 1000)")
                    @RequestParam(name = "timeout_ms", required = false)
                    Long timeoutMs,
            @Parameter(description = "auto (JSON, else STRING, else BINARY), string or binary")
                    @RequestParam(name = "format", required = false)
                    String formatName) {
        RecordFormat.Format recordFormat = RecordFormat.Format.of(formatName);
        PartitionReader.ReadRequest request =
                reader.request(topic, partition, offset, timestamp, maxRecords, maxBytes, timeoutMs);
        return metadata.requireCluster(clusterId)
                .then(reader.read(request))
                .map(result -> new ReadResponse(
                        clusterId,
                        topic,
                        partition,
                        result.nextOffset(),
                        result.records().stream()
                                .map(r -> ReadJson.record(r, format, recordFormat))
                                .toList()));
    }
}
