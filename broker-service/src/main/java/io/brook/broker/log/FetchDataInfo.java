package io.brook.broker.log;

import org.apache.kafka.common.record.internal.Records;

/**
 * The result of a read: where it started, and the batches, usually a {@code FileRecords} slice of
 * a segment that the network layer sends with zero copy. The last batch may be cut short by the
 * byte limit, as in Kafka; clients skip a partial trailing batch.
 */
public record FetchDataInfo(LogOffsetMetadata fetchOffsetMetadata, Records records) {}
