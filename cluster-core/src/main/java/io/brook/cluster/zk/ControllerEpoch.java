package io.brook.cluster.zk;

/**
 * What one controller won in its election: its epoch (the value it wrote to {@code
 * /controller_epoch}) and the version it left that znode at. Every write of that controller is a
 * multi-op that first checks {@code /controller_epoch} is still at {@code zkVersion}, so a
 * controller that was replaced, but has not yet noticed, has all its writes refused, as in Kafka's
 * {@code KafkaZkClient.checkedEphemeralCreate}/{@code MultiRequest} with {@code
 * controllerEpochZkVersion} (KAFKA-6082).
 */
public record ControllerEpoch(int epoch, int zkVersion) {}
