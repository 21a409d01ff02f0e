package io.brook.broker.config;

import io.brook.broker.BrokerServer;
import io.brook.broker.group.GroupCoordinatorService;
import io.brook.broker.metrics.ConsumerLagMetrics;
import io.brook.broker.metrics.ControllerMetrics;
import io.brook.broker.metrics.ReplicationMetrics;
import io.brook.broker.metrics.RequestMetrics;
import io.brook.broker.metrics.TopicMetrics;
import io.brook.broker.replication.ReplicaManager;
import io.brook.cluster.controller.Controller;
import io.brook.cluster.metadata.MetadataCache;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * What the broker's HTTP port tells an operator: the meters ({@code io.brook.broker.metrics}) on
 * Spring Boot's registry, served at {@code /actuator/prometheus}, with the refresher of the meters
 * whose series follow partitions and groups ({@link BrokerConfiguration} hands the observers to the
 * parts they observe), and the readiness contributor {@code catchUp}.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsConfiguration.class);

    /**
     * The HTTP port's own Reactor Netty event loops instead of the JVM-wide global ones: closing
     * one broker's context disposes the global loops, which would stop the HTTP port of every
     * other broker in the same JVM (the integration tests run several).
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }

    /** Readiness that waits for the broker to catch up (contributor {@code catchUp}). */
    @Bean
    BrokerReadinessIndicator catchUpHealthIndicator(
            BrokerServer server, MetadataCache cache, Clock clock, BrokerProperties properties) {
        return new BrokerReadinessIndicator(server, cache, clock, properties.getReadinessCatchUpTimeout());
    }

    @Bean
    TopicMetrics topicMetrics(MeterRegistry registry) {
        return new TopicMetrics(registry);
    }

    /** Every listener has its own network threads and request-handler pool: the idle ratios are over all of them. */
    @Bean
    RequestMetrics requestMetrics(MeterRegistry registry, BrokerProperties properties, BrokerListeners listeners) {
        int count = listeners.listeners().size();
        return new RequestMetrics(registry, count * properties.getIoThreads(), count * properties.getNetworkThreads());
    }

    /** Reads the replica manager lazily: the replica manager's ISR writer reports here. */
    @Bean
    ReplicationMetrics replicationMetrics(MeterRegistry registry, ObjectProvider<ReplicaManager> replicaManager) {
        return new ReplicationMetrics(registry, () -> replicaManager.getObject().partitions());
    }

    @Bean
    ConsumerLagMetrics consumerLagMetrics(
            MeterRegistry registry, GroupCoordinatorService groups, ReplicaManager replicaManager) {
        return new ConsumerLagMetrics(registry, groups, replicaManager);
    }

    @Bean
    Object controllerMetrics(MeterRegistry registry, Controller controller) {
        ControllerMetrics.bind(registry, controller);
        return ControllerMetrics.class;
    }

    /**
     * Every {@code brook.broker.metrics-refresh-interval}: log-size series for the hosted
     * partitions, consumer lag of the groups coordinated here, topic counters of deleted topics
     * dropped.
     */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService metricsRefresher(
            BrokerProperties properties,
            ReplicationMetrics replication,
            ConsumerLagMetrics lag,
            TopicMetrics topics,
            MetadataCache cache) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brook-metrics-refresher");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, properties.getMetricsRefreshInterval().toMillis());
        executor.scheduleWithFixedDelay(
                () -> {
                    try {
                        replication.refresh();
                        lag.refresh();
                        if (cache.image().sequence() > 0) {
                            topics.retainTopics(cache.image().topicNames());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        LOG.warn("Refreshing the partition and group metrics failed: {}", e.toString());
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
        return executor;
    }
}
