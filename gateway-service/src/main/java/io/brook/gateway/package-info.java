/**
 * The Brook gateway: HTTP in front of the brokers.
 *
 * <p>Layout, one package per concern:
 *
 * <ul>
 *   <li>{@code config}: {@link io.brook.gateway.config.GatewayProperties} ({@code brook.gateway.*})
 *       and the Spring wiring;
 *   <li>{@code kafka}: the kafka-clients side: one shared producer per acks setting, the Admin
 *       client, a pool of consumers for stateless reads, REST v2 consumer instances ({@link
 *       io.brook.gateway.kafka.ConsumerInstanceRegistry}, one consumer and thread each, idle
 *       expiry), credit-driven record streams ({@link io.brook.gateway.kafka.RecordStream}) for
 *       Server-Sent Events and WebSocket, the cluster's identity and topic metadata, all bridged
 *       to Reactor without blocking event-loop threads;
 *   <li>{@code error}: every failure as {@code application/problem+json} with a Kafka-style
 *       {@code error_code};
 *   <li>{@code http.*}: one package per feature (produce, consume, consumers, stream, clusters,
 *       topics, groups), each a controller, a service where there is logic, and its JSON records;
 *   <li>{@code websocket}: the produce and consume sockets, their frames and per-socket flow
 *       control.
 * </ul>
 */
package io.brook.gateway;
