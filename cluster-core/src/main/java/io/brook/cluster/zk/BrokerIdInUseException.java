package io.brook.cluster.zk;

import io.brook.cluster.metadata.BrokerRegistration;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;

/**
 * A broker tried to register an id that a live broker (another ZooKeeper session) holds. Fatal for
 * the starting broker: two brokers with one id would corrupt each other's replicas. A broker that
 * was killed leaves its znode behind until its session times out, so restarting it within the
 * session timeout meets this too.
 */
public class BrokerIdInUseException extends KafkaException {

    private final int brokerId;
    private final Optional<BrokerRegistration> holder;

    public BrokerIdInUseException(int brokerId, Optional<BrokerRegistration> holder) {
        super("broker id " + brokerId + " is already registered by a live broker"
                + holder.map(h -> h.endpoints().isEmpty()
                                ? ""
                                : " at " + h.endpoints().get(0).host() + ":"
                                        + h.endpoints().get(0).port())
                        .orElse(""));
        this.brokerId = brokerId;
        this.holder = holder;
    }

    public int brokerId() {
        return brokerId;
    }

    /** The registration found in the way, if it could be read. */
    public Optional<BrokerRegistration> holder() {
        return holder;
    }
}
