package io.brook.gateway.http;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.ConsumerInstanceRegistry;
import io.brook.gateway.kafka.KafkaClients;
import io.brook.gateway.kafka.LogDirSizes;
import io.brook.gateway.kafka.ReadConsumerPool;
import io.brook.gateway.kafka.RecordMetrics;
import io.brook.gateway.kafka.RecordStreams;
import io.brook.gateway.kafka.StreamMetrics;
import io.brook.gateway.security.GatewayAuthorization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Requests the gateway refuses before it talks to the cluster: the web layer alone ({@code
 * WebFluxTest}) with the real services, pointed at a cluster that does not exist (a closed port,
 * and a configured cluster id so that no discovery is needed). Each answer must be the right 4xx
 * problem, and must come without waiting on Kafka.
 */
@WebFluxTest
class RequestValidationTest {

    static final String RECORDS = "/v3/clusters/test-cluster/topics/t/records";

    @TestConfiguration
    @ComponentScan(basePackages = "io.brook.gateway.http")
    static class Services {

        @Bean
        GatewayProperties gatewayProperties() {
            GatewayProperties properties = new GatewayProperties();
            properties.setBootstrapServers("127.0.0.1:1");
            properties.setClusterId("test-cluster");
            properties.getLimits().setMaxBatchEntries(2);
            return properties;
        }

        @Bean(destroyMethod = "destroy")
        KafkaClients kafkaClients(GatewayProperties properties) {
            return new KafkaClients(properties);
        }

        @Bean
        ClusterMetadata clusterMetadata(KafkaClients clients, GatewayProperties properties) {
            return new ClusterMetadata(clients, properties, Clock.systemUTC());
        }

        @Bean
        LogDirSizes logDirSizes(KafkaClients clients) {
            return new LogDirSizes(clients);
        }

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        @Bean
        ReadConsumerPool readConsumerPool(GatewayProperties properties) {
            return new ReadConsumerPool(properties);
        }

        @Bean
        RecordMetrics recordMetrics() {
            return new RecordMetrics(new SimpleMeterRegistry());
        }

        @Bean(destroyMethod = "destroy")
        ConsumerInstanceRegistry consumerInstanceRegistry(KafkaClients clients, GatewayProperties properties) {
            return new ConsumerInstanceRegistry(clients, properties, Clock.systemUTC());
        }

        @Bean
        RecordStreams recordStreams(KafkaClients clients, GatewayProperties properties) {
            return new RecordStreams(clients, properties, new SimpleMeterRegistry());
        }

        @Bean
        StreamMetrics streamMetrics() {
            return new StreamMetrics(new SimpleMeterRegistry());
        }

        /** Security off, as by default: every operation allowed. */
        @Bean
        GatewayAuthorization gatewayAuthorization() {
            return new GatewayAuthorization(null, "User");
        }
    }

    @Autowired
    WebTestClient http;

    void expect(WebTestClient.ResponseSpec response, int status, int errorCode) {
        response.expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(errorCode);
    }

    @Test
    void aConsumerInstanceWithAnUnknownFormatOrOffsetResetIs400AndAnUnknownInstance404() {
        expect(
                http.post()
                        .uri("/consumers/g")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"name\": \"c\", \"format\": \"avro\"}")
                        .exchange(),
                400,
                40002);
        expect(
                http.post()
                        .uri("/consumers/g")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"name\": \"c\", \"auto.offset.reset\": \"sideways\"}")
                        .exchange(),
                400,
                40002);
        expect(http.get().uri("/consumers/g/instances/nobody/records").exchange(), 404, 40403);
    }

    @Test
    void aStreamWithABadStartOrLastEventIdIs400() {
        expect(
                http.get()
                        .uri("/v3/clusters/test-cluster/topics/t/records:stream?from=middle")
                        .exchange(),
                400,
                40002);
        expect(
                http.get()
                        .uri("/v3/clusters/test-cluster/topics/t/records:stream")
                        .header("Last-Event-ID", "not-an-id")
                        .exchange(),
                400,
                40002);
    }

    @Test
    void aBatchWithMoreEntriesThanTheLimitIs413() {
        expect(
                http.post()
                        .uri(RECORDS + ":batch")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"entries\": [{\"id\": \"1\"}, {\"id\": \"2\"}, {\"id\": \"3\"}]}")
                        .exchange(),
                413,
                41302);
    }

    @Test
    void aBatchWithDuplicateOrMissingIdsIs400() {
        expect(
                http.post()
                        .uri(RECORDS + ":batch")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"entries\": [{\"id\": \"1\"}, {\"id\": \"1\"}]}")
                        .exchange(),
                400,
                40002);
        expect(
                http.post()
                        .uri(RECORDS + ":batch")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"entries\": [{\"value\": {\"data\": 1}}]}")
                        .exchange(),
                400,
                40002);
    }

    @Test
    void aBodyThatIsNotJsonIs400With40001() {
        expect(
                http.post()
                        .uri(RECORDS + ":batch")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"entries\": [")
                        .exchange(),
                400,
                40001);
    }

    @Test
    void aContentTypeOtherThanJsonIs415() {
        expect(
                http.post()
                        .uri(RECORDS)
                        .contentType(MediaType.APPLICATION_XML)
                        .bodyValue("<record/>")
                        .exchange(),
                415,
                41501);
    }

    @Test
    void aV2RequestWithoutRecordsIs400() {
        expect(
                http.post()
                        .uri("/topics/t")
                        .contentType(MediaType.parseMediaType("application/vnd.kafka.binary.v2+json"))
                        .bodyValue("{\"records\": []}")
                        .exchange(),
                400,
                40002);
    }

    @Test
    void readParametersOutOfRangeAre400() {
        String read = "/v3/clusters/test-cluster/topics/t/partitions/0/records";
        expect(http.get().uri(read + "?format=avro").exchange(), 400, 40002);
        expect(http.get().uri(read + "?offset=-1").exchange(), 400, 40002);
        expect(http.get().uri(read + "?timeout_ms=3600000").exchange(), 400, 40002);
        expect(http.get().uri(read + "?max_bytes=0").exchange(), 400, 40002);
    }

    @Test
    void anotherClusterIdIs404WithoutAskingTheCluster() {
        expect(
                http.get()
                        .uri("/v3/clusters/other-cluster/topics/t/partitions/0/records")
                        .exchange(),
                404,
                40404);
    }
}
