package io.brook.gateway.websocket;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.http.RecordFormat;
import io.brook.gateway.http.produce.ProduceService;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.RecordMetrics;
import io.brook.gateway.kafka.RecordStreams;
import io.brook.gateway.kafka.StreamMetrics;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WebSocket endpoints: {@code .../topics/{topic_name}/produce-socket} ({@link
 * ProduceSocketHandler}) and {@code .../topics/{topic_name}/consume-socket} ({@link
 * StreamSocketHandler}), under {@code /v3/clusters/{cluster_id}}. They are mapped ahead of the
 * annotated controllers; WebFlux's own WebSocketHandlerAdapter does the handshake.
 */
@Configuration(proxyBeanMethods = false)
public class WebSocketConfiguration {

    @Bean
    OpenSockets openSockets() {
        return new OpenSockets();
    }

    @Bean
    ProduceSocketHandler produceSocketHandler(
            OpenSockets open,
            ProduceService produce,
            ClusterMetadata metadata,
            RecordFormat format,
            JsonMapper json,
            StreamMetrics metrics,
            GatewayProperties properties) {
        return new ProduceSocketHandler(open, produce, metadata, format, json, metrics, properties);
    }

    @Bean
    StreamSocketHandler streamSocketHandler(
            OpenSockets open,
            ClusterMetadata metadata,
            RecordStreams streams,
            RecordFormat format,
            RecordMetrics recordMetrics,
            StreamMetrics metrics,
            JsonMapper json,
            GatewayProperties properties) {
        return new StreamSocketHandler(open, metadata, streams, format, recordMetrics, metrics, json, properties);
    }

    @Bean
    HandlerMapping webSocketMapping(ProduceSocketHandler produce, StreamSocketHandler consume) {
        return new SimpleUrlHandlerMapping(
                Map.of(
                        "/v3/clusters/*/topics/*/produce-socket", produce,
                        "/v3/clusters/*/topics/*/consume-socket", consume),
                Ordered.HIGHEST_PRECEDENCE);
    }
}
