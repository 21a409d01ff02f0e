/**
 * The Brook gateway: HTTP in front of the brokers.
 *
 * <p>Layout, one package per concern:
 *
 * <ul>
 *   <li>{@code config}: {@link io.brook.gateway.config.GatewayProperties} ({@code brook.gateway.*})
 *       and the Spring wiring;
 *   <li>{@code kafka}: the kafka-clients side: one shared producer per acks setting, the Admin
 *       client, a pool of consumers for stateless reads, the cluster's identity and topic metadata,
 *       all bridged to Reactor without blocking event-loop threads;
 *   <li>{@code error}: every failure as {@code application/problem+json} with a Kafka-style
 *       {@code error_code};
 *   <li>{@code http.*}: one package per feature (produce, consume, clusters, topics, groups), each a
 *       controller, a service where there is logic, and its JSON records.
 * </ul>
 *
 * <p>Extension points for the second half of the gateway (consumer instances, Server-Sent Events,
 * WebSocket): new feature packages under {@code http} (e.g. {@code http.consumers}) and a {@code
 * websocket} package; they reuse {@link io.brook.gateway.kafka.KafkaClients} for clients, {@link
 * io.brook.gateway.http.RecordFormat} for record encoding, {@link
 * io.brook.gateway.kafka.RecordMetrics} for the per-topic counters and {@link
 * io.brook.gateway.error.GatewayException} for errors.
 */
package io.brook.gateway;
