package io.brook.broker.log;

/**
 * An offset together with where it lies on disk: the base offset of its segment and the byte
 * position, in that segment, of the batch holding it. Reads are bounded by one of these (the log
 * end or the high watermark) so that they never need to look an offset up twice.
 */
public record LogOffsetMetadata(long messageOffset, long segmentBaseOffset, int relativePositionInSegment) {}
