package io.brook.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code brook acls list | create | delete}, the {@code kafka-acls.sh} of Brook, with its flags:
 * principals ({@code --allow-principal User:alice}, {@code --deny-principal}), hosts, operations
 * (Kafka's names, {@code Read} or {@code READ} or {@code DescribeConfigs}), resources ({@code
 * --topic}, {@code --group}, {@code --cluster}, {@code --transactional-id}) and {@code
 * --resource-pattern-type}. {@code create} makes every combination of principal, operation and
 * resource (CreateAcls); {@code list} and {@code delete} match with Kafka's filters (DescribeAcls,
 * DeleteAcls), each given flag narrowing the match.
 */
@Command(
        name = "acls",
        description = "Kafka ACLs: list, create and delete.",
        mixinStandardHelpOptions = true,
        subcommands = {AclsCommand.ListAcls.class, AclsCommand.Create.class, AclsCommand.Delete.class})
final class AclsCommand {

    record Acl(
            String principal,
            String host,
            String operation,
            String permission,
            String resourceType,
            String resourceName,
            String patternType) {

        static Acl of(AclBinding b) {
            return new Acl(
                    b.entry().principal(),
                    b.entry().host(),
                    b.entry().operation().name(),
                    b.entry().permissionType().name(),
                    b.pattern().resourceType().name(),
                    b.pattern().name(),
                    b.pattern().patternType().name());
        }
    }

    /** The resource flags shared by the three commands. */
    abstract static class AclCommand extends ClusterCommand {

        @Option(names = "--topic", paramLabel = "TOPIC", description = "A topic (* for all); repeatable.")
        List<String> topics = new ArrayList<>();

        @Option(names = "--group", paramLabel = "GROUP", description = "A consumer group (* for all); repeatable.")
        List<String> groups = new ArrayList<>();

        @Option(names = "--transactional-id", paramLabel = "ID", description = "A transactional id; repeatable.")
        List<String> transactionalIds = new ArrayList<>();

        @Option(names = "--cluster", description = "The cluster resource.")
        boolean cluster;

        @Option(
                names = "--operation",
                paramLabel = "OPERATION",
                converter = OperationConverter.class,
                description =
                        "Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite, All; repeatable.")
        List<AclOperation> operations = new ArrayList<>();

        /** The resources named by the flags, with the pattern type of each. */
        List<ResourcePattern> resources(PatternType patternType) {
            return named().stream()
                    .map(r -> new ResourcePattern(
                            r.resourceType(),
                            r.name(),
                            r.resourceType() == ResourceType.CLUSTER ? PatternType.LITERAL : patternType))
                    .toList();
        }

        /** Filters for the named resources (any resource when none is named). */
        List<ResourcePatternFilter> resourceFilters(PatternType patternType) {
            List<ResourcePatternFilter> named = named().stream()
                    .map(r -> new ResourcePatternFilter(r.resourceType(), r.name(), patternType))
                    .toList();
            return named.isEmpty() ? List.of(new ResourcePatternFilter(ResourceType.ANY, null, patternType)) : named;
        }

        List<ResourcePatternFilter> named() {
            List<ResourcePatternFilter> named = new ArrayList<>();
            topics.forEach(t -> named.add(new ResourcePatternFilter(ResourceType.TOPIC, t, PatternType.ANY)));
            groups.forEach(g -> named.add(new ResourcePatternFilter(ResourceType.GROUP, g, PatternType.ANY)));
            transactionalIds.forEach(
                    id -> named.add(new ResourcePatternFilter(ResourceType.TRANSACTIONAL_ID, id, PatternType.ANY)));
            if (cluster) {
                named.add(new ResourcePatternFilter(ResourceType.CLUSTER, "kafka-cluster", PatternType.ANY));
            }
            return named;
        }

        void print(Collection<AclBinding> bindings) {
            List<Acl> acls = bindings.stream()
                    .map(Acl::of)
                    .sorted(Comparator.comparing(Acl::resourceType)
                            .thenComparing(Acl::resourceName)
                            .thenComparing(Acl::principal)
                            .thenComparing(Acl::operation)
                            .thenComparing(Acl::permission))
                    .toList();
            if (json()) {
                Output.printJson(out(), acls);
                return;
            }
            Output.Table table = new Output.Table(
                    "PRINCIPAL", "HOST", "OPERATION", "PERMISSION", "RESOURCE-TYPE", "RESOURCE-NAME", "PATTERN-TYPE");
            acls.forEach(a -> table.row(
                    a.principal(),
                    a.host(),
                    a.operation(),
                    a.permission(),
                    a.resourceType(),
                    a.resourceName(),
                    a.patternType()));
            table.print(out());
        }
    }

    @Command(
            name = "list",
            aliases = "ls",
            description = "ACLs matching the flags (all without flags).",
            mixinStandardHelpOptions = true)
    static final class ListAcls extends AclCommand {

        @Option(
                names = "--principal",
                paramLabel = "PRINCIPAL",
                description = "Only this principal's ACLs (User:alice).")
        String principal;

        @Option(
                names = "--resource-pattern-type",
                paramLabel = "TYPE",
                description = "any (default), match, literal or prefixed.")
        PatternType patternType = PatternType.ANY;

        @Override
        int run() throws Exception {
            List<AclBinding> found = new ArrayList<>();
            try (Admin admin = admin()) {
                List<AclOperation> ops = operations.isEmpty() ? List.of(AclOperation.ANY) : operations;
                for (ResourcePatternFilter resource : resourceFilters(patternType)) {
                    for (AclOperation op : ops) {
                        found.addAll(get(admin.describeAcls(new AclBindingFilter(
                                        resource,
                                        new AccessControlEntryFilter(principal, null, op, AclPermissionType.ANY)))
                                .values()));
                    }
                }
            }
            print(found.stream().distinct().toList());
            return 0;
        }
    }

    @Command(
            name = "create",
            description = "Create ACLs: every principal x operation x resource.",
            mixinStandardHelpOptions = true)
    static final class Create extends AclCommand {

        @Option(
                names = "--allow-principal",
                paramLabel = "PRINCIPAL",
                description = "Allow this principal (User:alice); repeatable.")
        List<String> allowPrincipals = new ArrayList<>();

        @Option(names = "--deny-principal", paramLabel = "PRINCIPAL", description = "Deny this principal; repeatable.")
        List<String> denyPrincipals = new ArrayList<>();

        @Option(names = "--allow-host", paramLabel = "HOST", description = "Hosts the allow applies to (default *).")
        List<String> allowHosts = new ArrayList<>();

        @Option(names = "--deny-host", paramLabel = "HOST", description = "Hosts the deny applies to (default *).")
        List<String> denyHosts = new ArrayList<>();

        @Option(names = "--resource-pattern-type", paramLabel = "TYPE", description = "literal (default) or prefixed.")
        PatternType patternType = PatternType.LITERAL;

        @Override
        int run() throws Exception {
            if (allowPrincipals.isEmpty() && denyPrincipals.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "give --allow-principal or --deny-principal");
            }
            if (patternType != PatternType.LITERAL && patternType != PatternType.PREFIXED) {
                throw new ParameterException(spec.commandLine(), "--resource-pattern-type: literal or prefixed");
            }
            List<ResourcePattern> resources = resources(patternType);
            if (resources.isEmpty()) {
                throw new ParameterException(
                        spec.commandLine(), "give a resource: --topic, --group, --transactional-id or --cluster");
            }
            List<AclOperation> ops = operations.isEmpty() ? List.of(AclOperation.ALL) : operations;
            List<AclBinding> bindings = new ArrayList<>();
            for (ResourcePattern resource : resources) {
                for (AclOperation op : ops) {
                    for (String p : allowPrincipals) {
                        for (String host : allowHosts.isEmpty() ? List.of("*") : allowHosts) {
                            bindings.add(new AclBinding(
                                    resource, new AccessControlEntry(p, host, op, AclPermissionType.ALLOW)));
                        }
                    }
                    for (String p : denyPrincipals) {
                        for (String host : denyHosts.isEmpty() ? List.of("*") : denyHosts) {
                            bindings.add(new AclBinding(
                                    resource, new AccessControlEntry(p, host, op, AclPermissionType.DENY)));
                        }
                    }
                }
            }
            try (Admin admin = admin()) {
                get(admin.createAcls(bindings).all());
            }
            print(bindings);
            return 0;
        }
    }

    @Command(
            name = "delete",
            description = "Delete the ACLs matching the flags (a resource flag is required).",
            mixinStandardHelpOptions = true)
    static final class Delete extends AclCommand {

        @Option(
                names = "--allow-principal",
                paramLabel = "PRINCIPAL",
                description = "Only this principal's allow ACLs; repeatable.")
        List<String> allowPrincipals = new ArrayList<>();

        @Option(
                names = "--deny-principal",
                paramLabel = "PRINCIPAL",
                description = "Only this principal's deny ACLs; repeatable.")
        List<String> denyPrincipals = new ArrayList<>();

        @Option(
                names = "--resource-pattern-type",
                paramLabel = "TYPE",
                description = "literal (default), prefixed, match or any.")
        PatternType patternType = PatternType.LITERAL;

        @Override
        int run() throws Exception {
            if (named().isEmpty()) {
                throw new ParameterException(
                        spec.commandLine(), "give a resource: --topic, --group, --transactional-id or --cluster");
            }
            List<AccessControlEntryFilter> entries = new ArrayList<>();
            List<AclOperation> ops = operations.isEmpty() ? List.of(AclOperation.ANY) : operations;
            for (AclOperation op : ops) {
                allowPrincipals.forEach(
                        p -> entries.add(new AccessControlEntryFilter(p, null, op, AclPermissionType.ALLOW)));
                denyPrincipals.forEach(
                        p -> entries.add(new AccessControlEntryFilter(p, null, op, AclPermissionType.DENY)));
                if (allowPrincipals.isEmpty() && denyPrincipals.isEmpty()) {
                    entries.add(new AccessControlEntryFilter(null, null, op, AclPermissionType.ANY));
                }
            }
            List<AclBindingFilter> filters = new ArrayList<>();
            for (ResourcePatternFilter resource : resourceFilters(patternType)) {
                entries.forEach(e -> filters.add(new AclBindingFilter(resource, e)));
            }
            Collection<AclBinding> deleted;
            try (Admin admin = admin()) {
                deleted = get(admin.deleteAcls(filters).all());
            }
            print(deleted);
            return 0;
        }
    }

    /**
     * Kafka's operation names in any of the spellings its tool and docs use: {@code Read}, {@code
     * READ}, {@code DescribeConfigs}, {@code describe-configs}, {@code DESCRIBE_CONFIGS}.
     */
    static final class OperationConverter implements ITypeConverter<AclOperation> {
        @Override
        public AclOperation convert(String value) {
            String name = value.replaceAll("([a-z])([A-Z])", "$1_$2")
                    .replace('-', '_')
                    .toUpperCase(Locale.ROOT);
            try {
                AclOperation op = AclOperation.valueOf(name);
                if (op != AclOperation.UNKNOWN && op != AclOperation.ANY) {
                    return op;
                }
            } catch (IllegalArgumentException e) {
                // below
            }
            throw new TypeConversionException("'" + value + "' is not an operation; one of "
                    + Arrays.stream(AclOperation.values())
                            .filter(o -> o != AclOperation.UNKNOWN && o != AclOperation.ANY)
                            .map(AclOperation::name)
                            .toList());
        }
    }
}
