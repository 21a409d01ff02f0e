package io.brook.broker.metrics;

import io.brook.cluster.controller.Controller;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Kafka's {@code KafkaController} and {@code ControllerStats} meters, read from the {@link
 * Controller}'s getters at each scrape (cluster-core stays free of Micrometer):
 *
 * <ul>
 *   <li>{@code brook_controller_active_controller_count}: 1 on the active controller, else 0; the
 *       sum over the brokers must be 1;
 *   <li>{@code brook_controller_offline_partitions_count}: partitions without a live leader,
 *       reported by the active controller (0 elsewhere);
 *   <li>{@code brook_controller_leader_elections_total} and {@code
 *       brook_controller_unclean_leader_elections_total}: elections this broker made as
 *       controller since it started.
 * </ul>
 */
public final class ControllerMetrics {

    private ControllerMetrics() {}

    public static void bind(MeterRegistry registry, Controller controller) {
        Gauge.builder("brook.controller.active.controller.count", controller, c -> c.isActive() ? 1 : 0)
                .description("1 on the broker that is the active controller, else 0")
                .register(registry);
        Gauge.builder("brook.controller.offline.partitions.count", controller, Controller::offlinePartitionCount)
                .description("Partitions without a live leader (non-zero only on the controller)")
                .register(registry);
        FunctionCounter.builder("brook.controller.leader.elections", controller, Controller::leaderElections)
                .description("Leader elections by this broker as controller")
                .register(registry);
        FunctionCounter.builder(
                        "brook.controller.unclean.leader.elections", controller, Controller::uncleanLeaderElections)
                .description("Elections of a leader from outside the ISR by this broker as controller")
                .register(registry);
    }
}
