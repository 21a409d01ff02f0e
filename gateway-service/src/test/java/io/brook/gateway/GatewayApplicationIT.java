package io.brook.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.gateway.testkit.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The running gateway against a real broker: probes, metrics and the OpenAPI document. */
@GatewayIntegrationTest
class GatewayApplicationIT {

    @Autowired
    WebTestClient http;

    @Test
    void isReadyOnceItReachesTheCluster() {
        http.get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP")
                .jsonPath("$.components.kafka.status")
                .isEqualTo("UP")
                .jsonPath("$.components.kafka.details.clusterId")
                .isNotEmpty();
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }

    @Test
    void servesPrometheusMetricsIncludingHttpRequests() {
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
        String metrics = http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(metrics).contains("http_server_requests_seconds_count").contains("jvm_memory_used_bytes");
    }

    @Test
    void publishesItsOpenApiDocumentAndSwaggerUi() {
        http.get()
                .uri("/v3/api-docs")
                .accept(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.openapi")
                .value(v -> assertThat((String) v).startsWith("3."))
                .jsonPath("$.info.title")
                .isEqualTo("Brook gateway")
                .jsonPath("$.paths['/v3/clusters/{cluster_id}/topics/{topic_name}/records'].post.operationId")
                .isEqualTo("produceRecords")
                .jsonPath("$.paths['/topics/{topic}'].post.operationId")
                .isEqualTo("produceV2")
                .jsonPath("$.paths['/v3/clusters/{cluster_id}/consumer-groups/{consumer_group_id}/offsets:reset']")
                .exists();
        http.get().uri("/swagger-ui").exchange().expectStatus().is3xxRedirection();
    }
}
