package io.brook.cluster.zk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.utils.internals.SecurityUtils;

/**
 * {@code /kafka-acl/<ResourceType>/<name>} and {@code
 * /kafka-acl-extended/prefixed/<ResourceType>/<name>}: the access control entries of one literal
 * or prefixed resource pattern, in Kafka's format and with Kafka's spellings of operations and
 * permission types:
 *
 * <pre>
 * {"version":1,"acls":[{"principal":"User:alice","permissionType":"Allow","operation":"Read","host":"*"}]}
 * </pre>
 *
 * <p>A pattern with no entry left has no znode. Writers replace the whole set with a conditional
 * {@code setData} naming the version they read, so that two concurrent CreateAcls on one pattern
 * cannot lose an entry.
 */
public final class AclZNode {

    static final int VERSION = 1;

    private static final Comparator<AccessControlEntry> ORDER = Comparator.comparing(AccessControlEntry::principal)
            .thenComparing(AccessControlEntry::host)
            .thenComparing(e -> e.operation().name())
            .thenComparing(e -> e.permissionType().name());

    private AclZNode() {}

    /** The znode of a LITERAL or PREFIXED pattern. */
    public static String path(ResourcePattern pattern) {
        return ZkPaths.acl(pattern);
    }

    /** The entries in a stable order (principal, host, operation, permission). */
    public static byte[] encode(Set<AccessControlEntry> entries) {
        ObjectNode node = ZkJson.object(VERSION);
        ArrayNode acls = node.putArray("acls");
        entries.stream()
                .sorted(ORDER)
                .forEach(e -> acls.addObject()
                        .put("principal", e.principal())
                        .put("permissionType", SecurityUtils.permissionTypeName(e.permissionType()))
                        .put("operation", SecurityUtils.operationName(e.operation()))
                        .put("host", e.host()));
        return ZkJson.bytes(node);
    }

    /**
     * The entries; unmodifiable.
     *
     * @throws IllegalArgumentException if the payload is malformed or names an unknown operation
     *     or permission type
     */
    public static Set<AccessControlEntry> decode(byte[] data) {
        JsonNode node = ZkJson.parse(data, "ACL", VERSION);
        Set<AccessControlEntry> entries = new LinkedHashSet<>();
        for (JsonNode acl : ZkJson.required(node, "acls", "ACL")) {
            AclOperation operation = SecurityUtils.operation(
                    ZkJson.required(acl, "operation", "ACL").asText());
            AclPermissionType permission = SecurityUtils.permissionType(
                    ZkJson.required(acl, "permissionType", "ACL").asText());
            if (operation == AclOperation.UNKNOWN || permission == AclPermissionType.UNKNOWN) {
                throw new IllegalArgumentException("unknown operation or permission type in ACL znode: " + acl);
            }
            entries.add(new AccessControlEntry(
                    ZkJson.required(acl, "principal", "ACL").asText(),
                    ZkJson.required(acl, "host", "ACL").asText(),
                    operation,
                    permission));
        }
        return Collections.unmodifiableSet(entries);
    }
}
