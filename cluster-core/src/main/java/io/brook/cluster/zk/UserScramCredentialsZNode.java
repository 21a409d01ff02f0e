package io.brook.cluster.zk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /config/users/<user>}: a user's config, Kafka's format for it. The keys Brook writes are
 * the SCRAM mechanism names, each with kafka-clients' {@code ScramCredentialUtils.credentialToString}
 * of that mechanism's credential (salt, stored key, server key, iterations, Base64; never the
 * password):
 *
 * <pre>
 * {"version":1,"config":{"SCRAM-SHA-256":"salt=...,stored_key=...,server_key=...,iterations=4096"}}
 * </pre>
 *
 * <p>Other keys (Kafka keeps user quotas here) are read and written back untouched.
 */
public final class UserScramCredentialsZNode {

    static final int VERSION = 1;

    private UserScramCredentialsZNode() {}

    /** The znode of a user, whose name is encoded as {@link ZkPaths#encodeName} says. */
    public static String path(String user) {
        return ZkPaths.user(user);
    }

    public static byte[] encode(Map<String, String> config) {
        ObjectNode node = ZkJson.object(VERSION);
        ObjectNode map = node.putObject("config");
        new TreeMap<>(config).forEach(map::put);
        return ZkJson.bytes(node);
    }

    /** The user's config entries, sorted by key; unmodifiable. */
    public static Map<String, String> decode(byte[] data) {
        JsonNode node = ZkJson.parse(data, "/config/users", VERSION);
        Map<String, String> config = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it =
                ZkJson.required(node, "config", "/config/users").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            config.put(e.getKey(), e.getValue().asText());
        }
        return Collections.unmodifiableMap(config);
    }
}
