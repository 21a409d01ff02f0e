package io.brook.gateway.kafka;

import java.time.Duration;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;

/**
 * Health contributor {@code kafka}: up once the gateway reaches the cluster (a DescribeCluster
 * answered with a cluster id). It is part of the readiness group ({@code
 * /actuator/health/readiness}), so a load balancer sends traffic to the gateway only once it can
 * serve it; liveness does not include it, so an unreachable cluster never gets the gateway
 * restarted.
 */
public class KafkaHealthIndicator extends AbstractReactiveHealthIndicator {

    private final KafkaClients clients;
    private final Duration timeout;

    public KafkaHealthIndicator(KafkaClients clients, Duration timeout) {
        super("Kafka cluster unreachable");
        this.clients = clients;
        this.timeout = timeout;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs((int) timeout.toMillis());
        DescribeClusterResult cluster = clients.admin().describeCluster(options);
        return KafkaFutures.mono(cluster.clusterId())
                .zipWith(KafkaFutures.mono(cluster.nodes()))
                .map(both -> builder.up()
                        .withDetail("clusterId", both.getT1())
                        .withDetail("brokers", both.getT2().size())
                        .build());
    }
}
