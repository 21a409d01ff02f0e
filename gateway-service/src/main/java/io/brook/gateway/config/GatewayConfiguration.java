package io.brook.gateway.config;

import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.ConsumerInstanceRegistry;
import io.brook.gateway.kafka.KafkaClients;
import io.brook.gateway.kafka.KafkaHealthIndicator;
import io.brook.gateway.kafka.LogDirSizes;
import io.brook.gateway.kafka.ReadConsumerPool;
import io.brook.gateway.kafka.RecordMetrics;
import io.brook.gateway.kafka.RecordStreams;
import io.brook.gateway.kafka.StreamMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/** The gateway's beans: its Kafka clients and what is built on them. */
@Configuration(proxyBeanMethods = false)
public class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    KafkaClients kafkaClients(GatewayProperties properties) {
        return new KafkaClients(properties);
    }

    @Bean
    ClusterMetadata clusterMetadata(KafkaClients clients, GatewayProperties properties, Clock clock) {
        return new ClusterMetadata(clients, properties, clock);
    }

    @Bean
    LogDirSizes logDirSizes(KafkaClients clients) {
        return new LogDirSizes(clients);
    }

    @Bean
    ReadConsumerPool readConsumerPool(GatewayProperties properties) {
        return new ReadConsumerPool(properties);
    }

    @Bean
    RecordMetrics recordMetrics(MeterRegistry registry) {
        return new RecordMetrics(registry);
    }

    @Bean
    ConsumerInstanceRegistry consumerInstanceRegistry(KafkaClients clients, GatewayProperties properties, Clock clock) {
        return new ConsumerInstanceRegistry(clients, properties, clock);
    }

    @Bean
    RecordStreams recordStreams(KafkaClients clients, GatewayProperties properties, MeterRegistry registry) {
        return new RecordStreams(clients, properties, registry);
    }

    @Bean
    StreamMetrics streamMetrics(MeterRegistry registry) {
        return new StreamMetrics(registry);
    }

    /** Health contributor "kafka", in the readiness group (application.yml). */
    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(KafkaClients clients, GatewayProperties properties) {
        return new KafkaHealthIndicator(clients, properties.getAdminTimeout());
    }

    /** Bounds what a request may make the gateway hold in memory (see {@code limits.max-body-size}). */
    @Bean
    WebFluxConfigurer bodySizeLimit(GatewayProperties properties) {
        return new WebFluxConfigurer() {
            @Override
            public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
                configurer.defaultCodecs().maxInMemorySize((int)
                        properties.getLimits().getMaxBodySize().toBytes());
            }
        };
    }

    @Bean
    OpenAPI gatewayOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Brook gateway")
                        .version("v3")
                        .description("Produce, read and administer a Brook cluster over HTTP. Request and response "
                                + "shapes follow the Confluent REST Proxy (v3, and v2 for produce) where it has "
                                + "them; errors are application/problem+json with an error_code.")
                        .license(new License().name("Apache-2.0")));
    }
}
