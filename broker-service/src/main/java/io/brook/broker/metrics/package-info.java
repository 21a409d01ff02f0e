/**
 * The broker's meters, scraped by Prometheus from {@code /actuator/prometheus}, named as in the
 * metrics contract ({@code docker/prometheus/README.md}), which follows Kafka's MBeans: {@code
 * kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions} becomes {@code
 * brook_replica_manager_under_replicated_partitions}.
 *
 * <p>One class per concern, each binding a part of the broker that knows nothing of Micrometer
 * (the network layer's {@code NetworkObserver}, the replica manager's {@code TopicStats}, the ISR
 * writer's listener, the log manager's flush timer, plain getters of the controller in
 * cluster-core) to meters:
 *
 * <table>
 *   <caption>Meters by class</caption>
 *   <tr><th>class</th><th>meters</th></tr>
 *   <tr><td>{@link TopicMetrics}</td><td>messages and bytes in, bytes out, per topic</td></tr>
 *   <tr><td>{@link RequestMetrics}</td><td>request total, queue, local and remote time per API;
 *       request-handler and network idle ratios; open connections per listener</td></tr>
 *   <tr><td>{@link ReplicationMetrics}</td><td>under-replicated and under-min-ISR partitions, ISR
 *       shrinks and expands, log flush time, log size per partition</td></tr>
 *   <tr><td>{@link ControllerMetrics}</td><td>active controller count, offline partitions,
 *       leader and unclean leader elections</td></tr>
 *   <tr><td>{@link ConsumerLagMetrics}</td><td>consumer lag per group and partition, and its sum
 *       per group</td></tr>
 * </table>
 *
 * <p>The hot paths (every produce, fetch and request) touch only meters cached in fields, arrays
 * or maps here, never the registry: a registry lookup builds and hashes the meter's id, which at
 * hundreds of thousands of calls a second costs more than the count itself. Gauges are read at
 * scrape time; the meters whose set changes with partitions and groups are refreshed every {@code
 * brook.broker.metrics-refresh-interval}.
 */
package io.brook.broker.metrics;
