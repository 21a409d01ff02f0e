package io.brook.broker.protocol.handlers.fetch;

import java.util.Optional;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * A partition of a fetch session: what the client last asked of it (offset, a follower's log
 * start, size, leader epoch), and what the broker last told it (high watermark, last stable
 * offset, log start offset), so that an incremental request may leave the partition out and an
 * incremental response may too.
 *
 * <p>Threading: guarded by the lock of its {@link FetchSession}.
 */
final class CachedPartition {

    final PartitionKey key;
    /** The topic's name as last resolved; for an id-keyed partition, null until first known. */
    String name;

    long fetchOffset;
    long requestLogStartOffset;
    int maxBytes;
    Optional<Integer> currentLeaderEpoch;

    // What the client was last sent; -1 until sent. An error resets the high watermark to -1 so
    // that the partition is answered again once the error goes away.
    long highWatermark = -1;
    long lastStableOffset = -1;
    long logStartOffset = -1;

    CachedPartition(PartitionFetch request) {
        this.key = request.key();
        this.name = request.name();
        updateRequest(request);
    }

    void updateRequest(PartitionFetch request) {
        fetchOffset = request.fetchOffset();
        requestLogStartOffset = request.logStartOffset();
        maxBytes = request.maxBytes();
        currentLeaderEpoch = request.currentLeaderEpoch();
        if (request.name() != null) {
            name = request.name();
        }
    }

    /**
     * Whether an incremental response must carry this partition: it has records, an error, or a
     * high watermark, last stable offset or log start offset the client has not seen (Kafka's
     * {@code CachedPartition.maybeUpdateResponseData}). With {@code update}, remembers what is
     * sent.
     */
    boolean mustRespond(FetchResponseData.PartitionData response, boolean update) {
        boolean must = FetchResponse.recordsSize(response) > 0;
        if (response.highWatermark() != highWatermark
                || response.lastStableOffset() != lastStableOffset
                || response.logStartOffset() != logStartOffset) {
            must = true;
            if (update) {
                highWatermark = response.highWatermark();
                lastStableOffset = response.lastStableOffset();
                logStartOffset = response.logStartOffset();
            }
        }
        if (response.errorCode() != Errors.NONE.code()) {
            must = true;
            if (update) {
                highWatermark = -1;
            }
        }
        return must;
    }

    PartitionFetch toFetch(Errors error) {
        return new PartitionFetch(key, name, error, fetchOffset, requestLogStartOffset, maxBytes, currentLeaderEpoch);
    }
}
