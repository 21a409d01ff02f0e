package io.brook.broker.protocol.handlers;

import io.brook.broker.log.LogConfig;
import io.brook.cluster.admin.TopicConfigValidator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * How a topic's configs are described (DescribeConfigs, and CreateTopics from v5): every config
 * the broker's {@link LogConfig#CONFIG_DEF} defines, plus any other topic config set on the topic
 * or among the broker's topic defaults, each with its effective value and where it comes from:
 *
 * <ul>
 *   <li>the topic's override ({@code DYNAMIC_TOPIC_CONFIG}, Kafka's {@code TOPIC_CONFIG});
 *   <li>else the broker's default from {@code brook.broker.topic-defaults} ({@code
 *       STATIC_BROKER_CONFIG}), reported under Kafka's broker name for it ({@code
 *       log.retention.ms} for {@code retention.ms});
 *   <li>else the built-in default ({@code DEFAULT_CONFIG}).
 * </ul>
 *
 * <p>Synonyms list these candidates most specific first, as Kafka does. Topic configs are never
 * read-only or sensitive. Immutable; thread-safe.
 */
final class TopicConfigs {

    /** One described config, before it is put into a response message. */
    record Described(
            String name,
            String value,
            boolean readOnly,
            ConfigSource source,
            List<Synonym> synonyms,
            ConfigType type,
            String documentation) {}

    record Synonym(String name, String value, ConfigSource source) {}

    /** Kafka's broker-side names of the topic configs (its {@code ServerTopicConfigSynonyms}). */
    static final Map<String, String> BROKER_SYNONYMS = Map.ofEntries(
            Map.entry(LogConfig.SEGMENT_BYTES, "log.segment.bytes"),
            Map.entry(LogConfig.SEGMENT_MS, "log.roll.ms"),
            Map.entry(LogConfig.SEGMENT_INDEX_BYTES, "log.index.size.max.bytes"),
            Map.entry(LogConfig.INDEX_INTERVAL_BYTES, "log.index.interval.bytes"),
            Map.entry(LogConfig.FLUSH_MESSAGES, "log.flush.interval.messages"),
            Map.entry(LogConfig.FLUSH_MS, "log.flush.interval.ms"),
            Map.entry(LogConfig.RETENTION_MS, "log.retention.ms"),
            Map.entry(LogConfig.RETENTION_BYTES, "log.retention.bytes"),
            Map.entry(LogConfig.CLEANUP_POLICY, "log.cleanup.policy"),
            Map.entry(LogConfig.DELETE_RETENTION_MS, "log.cleaner.delete.retention.ms"),
            Map.entry(LogConfig.MIN_COMPACTION_LAG_MS, "log.cleaner.min.compaction.lag.ms"),
            Map.entry(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "log.cleaner.min.cleanable.ratio"),
            Map.entry(LogConfig.MAX_MESSAGE_BYTES, "message.max.bytes"),
            Map.entry(LogConfig.FILE_DELETE_DELAY_MS, "log.segment.delete.delay.ms"),
            Map.entry(LogConfig.MESSAGE_TIMESTAMP_TYPE, "log.message.timestamp.type"));

    private final Map<String, String> brokerDefaults;

    /** @param brokerDefaults {@code brook.broker.topic-defaults}, by topic-config name */
    TopicConfigs(Map<String, String> brokerDefaults) {
        this.brokerDefaults = Map.copyOf(brokerDefaults);
    }

    /** Every config of a topic with these overrides, sorted by name. */
    List<Described> describe(Map<String, String> overrides) {
        TreeSet<String> names = new TreeSet<>(LogConfig.CONFIG_DEF.names());
        names.addAll(overrides.keySet());
        for (String name : brokerDefaults.keySet()) {
            if (TopicConfigValidator.TOPIC_CONFIG_NAMES.contains(name)) {
                names.add(name);
            }
        }
        List<Described> described = new ArrayList<>();
        for (String name : names) {
            List<Synonym> synonyms = new ArrayList<>();
            if (overrides.containsKey(name)) {
                synonyms.add(new Synonym(name, overrides.get(name), ConfigSource.TOPIC_CONFIG));
            }
            synonyms.addAll(brokerSynonyms(name));
            if (synonyms.isEmpty()) {
                continue;
            }
            Synonym effective = synonyms.get(0);
            described.add(new Described(
                    name,
                    effective.value(),
                    false,
                    effective.source(),
                    List.copyOf(synonyms),
                    type(name),
                    documentation(name)));
        }
        return described;
    }

    /**
     * The broker-side settings behind the topic configs, under Kafka's broker names: what
     * DescribeConfigs shows for a BROKER resource. Read-only: Brook has no dynamic broker configs.
     */
    List<Described> describeBrokerDefaults() {
        TreeSet<String> names = new TreeSet<>(LogConfig.CONFIG_DEF.names());
        names.addAll(brokerDefaults.keySet());
        List<Described> described = new ArrayList<>();
        for (String name : names) {
            List<Synonym> synonyms = brokerSynonyms(name);
            if (!synonyms.isEmpty()) {
                Synonym effective = synonyms.get(0);
                described.add(new Described(
                        effective.name(),
                        effective.value(),
                        true,
                        effective.source(),
                        List.copyOf(synonyms),
                        type(name),
                        documentation(name)));
            }
        }
        return described;
    }

    /**
     * The value each topic config has where a topic does not override it: the broker's topic
     * default, else the built-in default (what IncrementalAlterConfigs' APPEND starts from).
     */
    Map<String, String> brokerValues() {
        TreeSet<String> names = new TreeSet<>(LogConfig.CONFIG_DEF.names());
        names.addAll(brokerDefaults.keySet());
        Map<String, String> values = new java.util.HashMap<>();
        for (String name : names) {
            List<Synonym> synonyms = brokerSynonyms(name);
            if (!synonyms.isEmpty() && synonyms.get(0).value() != null) {
                values.put(name, synonyms.get(0).value());
            }
        }
        return values;
    }

    /** The broker's value for a topic config: set in the topic defaults, then the built-in default. */
    private List<Synonym> brokerSynonyms(String name) {
        String brokerName = BROKER_SYNONYMS.getOrDefault(name, name);
        List<Synonym> synonyms = new ArrayList<>(2);
        if (brokerDefaults.containsKey(name)) {
            synonyms.add(new Synonym(brokerName, brokerDefaults.get(name), ConfigSource.STATIC_BROKER_CONFIG));
        }
        ConfigDef.ConfigKey key = LogConfig.CONFIG_DEF.configKeys().get(name);
        if (key != null && key.hasDefault()) {
            synonyms.add(new Synonym(
                    brokerName, ConfigDef.convertToString(key.defaultValue, key.type), ConfigSource.DEFAULT_CONFIG));
        }
        return synonyms;
    }

    private static ConfigType type(String name) {
        ConfigDef.ConfigKey key = LogConfig.CONFIG_DEF.configKeys().get(name);
        if (key == null) {
            return ConfigType.UNKNOWN;
        }
        try {
            return ConfigType.valueOf(key.type.name());
        } catch (IllegalArgumentException e) {
            return ConfigType.UNKNOWN;
        }
    }

    private static String documentation(String name) {
        ConfigDef.ConfigKey key = LogConfig.CONFIG_DEF.configKeys().get(name);
        return key == null ? null : key.documentation;
    }

    /** Only the named configs, if {@code names} is not null (DescribeConfigs' key filter). */
    static List<Described> filter(List<Described> all, Collection<String> names) {
        if (names == null) {
            return all;
        }
        return all.stream().filter(d -> names.contains(d.name())).toList();
    }
}
