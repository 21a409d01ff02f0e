package io.brook.gateway.http.consume;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.http.RecordFormat;
import io.brook.gateway.http.consume.RecordSearches.From;
import io.brook.gateway.http.consume.RecordSearches.In;
import io.brook.gateway.kafka.ClusterMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * {@code GET
 * /v3/clusters/{cluster_id}/topics/{topic_name}/records:search?q=&in=&partition=&from=&max_scanned=&max_matches=&format=}
 * as {@code text/event-stream}: a bounded search of the topic's records by key or value text
 * ({@link RecordSearches}), with three events:
 *
 * <ul>
 *   <li>{@code match}: a matching record, in the shape of the stateless read's records;
 *   <li>{@code progress}: {@code {"scanned": n, "partitions": {"0": {"offset": next, "end": e}}}},
 *       every 250 ms or 1000 records while scanning, and once at the end;
 *   <li>{@code done}: {@code {"scanned": n, "matches": m, "reason": "end|max_scanned|max_matches"}},
 *       the last event.
 * </ul>
 *
 * <p>Closing the connection stops the search. Invalid parameters are 400, an unknown topic or
 * partition 404, too many searches at once 429 (problem+json, before any event).
 */
@RestController
class RecordsSearchController {

    private final ClusterMetadata metadata;
    private final RecordSearches searches;
    private final GatewayProperties.Dashboard limits;

    RecordsSearchController(ClusterMetadata metadata, RecordSearches searches, GatewayProperties properties) {
        this.metadata = metadata;
        this.searches = searches;
        this.limits = properties.getDashboard();
    }

    @Operation(
            operationId = "searchRecords",
            summary = "Search a topic's records by key or value text, as Server-Sent Events (match, progress, done)")
    @GetMapping(
            path = "/v3/clusters/{cluster_id}/topics/{topic_name}/records:search",
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> search(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String topic,
            @Parameter(description = "the text to find (a substring, case-sensitive)") @RequestParam(name = "q")
                    String text,
            @Parameter(description = "key, value or both (default)") @RequestParam(name = "in", required = false)
                    String in,
            @Parameter(description = "the partition to search; default all")
                    @RequestParam(name = "partition", required = false)
                    Integer partition,
            @Parameter(
                            description = "earliest (default), latest-N (the last N of each partition), or a time"
                                    + " (epoch ms or ISO-8601)")
                    @RequestParam(name = "from", required = false)
                    String from,
            @Parameter(description = "most records to read (default 100000)")
                    @RequestParam(name = "max_scanned", required = false)
                    Long maxScanned,
            @Parameter(description = "most matches to return (default 100)")
                    @RequestParam(name = "max_matches", required = false)
                    Integer maxMatches,
            @Parameter(description = "auto (default), string or binary: how keys and values are encoded")
                    @RequestParam(name = "format", required = false)
                    String formatName) {
        if (text == null || text.isEmpty()) {
            throw invalid("q must not be empty.");
        }
        In where = in(in);
        From start = from(from);
        long scanned = maxScanned == null ? limits.getSearchDefaultMaxScanned() : maxScanned;
        int matches = maxMatches == null ? limits.getSearchDefaultMaxMatches() : maxMatches;
        if (scanned < 1 || scanned > limits.getSearchMaxMaxScanned()) {
            throw invalid("max_scanned must be between 1 and " + limits.getSearchMaxMaxScanned() + ".");
        }
        if (matches < 1 || matches > limits.getSearchMaxMaxMatches()) {
            throw invalid("max_matches must be between 1 and " + limits.getSearchMaxMaxMatches() + ".");
        }
        RecordFormat.Format how = RecordFormat.Format.of(formatName);
        return metadata.requireCluster(clusterId)
                .then(partition == null ? metadata.topic(topic) : metadata.partition(topic, partition))
                .flatMapMany(info -> {
                    List<Integer> partitions = new ArrayList<>();
                    for (int p = 0; p < info.partitions(); p++) {
                        if (partition == null || partition == p) {
                            partitions.add(p);
                        }
                    }
                    return searches.search(
                            new RecordSearches.Query(topic, partitions, text, where, start, scanned, matches, how));
                });
    }

    static In in(String in) {
        if (in == null || in.isBlank()) {
            return In.BOTH;
        }
        return switch (in.toLowerCase(Locale.ROOT)) {
            case "key" -> In.KEY;
            case "value" -> In.VALUE;
            case "both" -> In.BOTH;
            default -> throw invalid("in must be key, value or both, not '" + in + "'.");
        };
    }

    static From from(String from) {
        if (from == null || from.isBlank() || from.equals("earliest")) {
            return new From.Earliest();
        }
        try {
            if (from.startsWith("latest-")) {
                long n = Long.parseLong(from.substring("latest-".length()));
                if (n >= 0) {
                    return new From.LastN(n);
                }
            } else if (from.chars().allMatch(Character::isDigit)) {
                return new From.Timestamp(Long.parseLong(from));
            } else {
                return new From.Timestamp(Instant.parse(from).toEpochMilli());
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            // Fall through to the error below.
        }
        throw invalid("from must be earliest, latest-N or a time (epoch ms or ISO-8601), not '" + from + "'.");
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, message);
    }
}
