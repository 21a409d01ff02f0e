package io.brook.cluster.zk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.metadata.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * {@code /brokers/ids/<id>}: an ephemeral znode per live broker, created by the broker itself in
 * its ZooKeeper session, so that it vanishes when the broker dies or its session expires.
 *
 * <pre>
 * {"version":1,"id":1,"rack":"r1" | null,"timestamp":"1700000000000",
 *  "endpoints":[{"listener_name":"PLAINTEXT","host":"h","port":9092,"security_protocol":"PLAINTEXT"}]}
 * </pre>
 *
 * The timestamp (registration time, epoch millis as a string, as Kafka writes it) is informative.
 */
public final class BrokerIdZNode {

    static final int VERSION = 1;

    private BrokerIdZNode() {}

    public static String path(int id) {
        return ZkPaths.broker(id);
    }

    public static byte[] encode(BrokerRegistration broker, long timestampMs) {
        ObjectNode node = ZkJson.object(VERSION);
        node.put("id", broker.id());
        if (broker.rack().isPresent()) {
            node.put("rack", broker.rack().get());
        } else {
            node.putNull("rack");
        }
        node.put("timestamp", Long.toString(timestampMs));
        ArrayNode endpoints = node.putArray("endpoints");
        for (Endpoint e : broker.endpoints()) {
            endpoints
                    .addObject()
                    .put("listener_name", e.listenerName())
                    .put("host", e.host())
                    .put("port", e.port())
                    .put("security_protocol", e.securityProtocol().name);
        }
        return ZkJson.bytes(node);
    }

    public static BrokerRegistration decode(byte[] data) {
        JsonNode node = ZkJson.parse(data, "/brokers/ids", VERSION);
        List<Endpoint> endpoints = new ArrayList<>();
        for (JsonNode e : ZkJson.required(node, "endpoints", "/brokers/ids")) {
            endpoints.add(new Endpoint(
                    e.path("listener_name").asText(),
                    e.path("host").asText(),
                    e.path("port").asInt(),
                    SecurityProtocol.forName(e.path("security_protocol").asText())));
        }
        JsonNode rack = node.get("rack");
        return new BrokerRegistration(
                ZkJson.required(node, "id", "/brokers/ids").asInt(),
                endpoints,
                rack == null || rack.isNull() ? Optional.empty() : Optional.of(rack.asText()));
    }

    /** The registration time written by {@link #encode}. */
    public static long decodeTimestamp(byte[] data) {
        return Long.parseLong(
                ZkJson.parse(data, "/brokers/ids", VERSION).path("timestamp").asText("-1"));
    }
}
