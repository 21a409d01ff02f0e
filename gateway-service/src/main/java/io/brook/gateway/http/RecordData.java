package io.brook.gateway.http;

import tools.jackson.databind.JsonNode;

/**
 * A record key or value as JSON, in the Confluent REST v3 shape: {@code {"type": "JSON", "data":
 * {...}}}, {@code {"type": "STRING", "data": "text"}} or {@code {"type": "BINARY", "data":
 * "<base64>"}}. A null or absent {@code data} is a null key or value (a value of null is a
 * tombstone). {@code type} defaults to JSON on produce.
 */
public record RecordData(String type, JsonNode data) {}
