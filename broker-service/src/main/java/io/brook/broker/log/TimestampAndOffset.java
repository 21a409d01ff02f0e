package io.brook.broker.log;

/** A record's timestamp and offset, as found by a search by time. */
public record TimestampAndOffset(long timestamp, long offset) {}
