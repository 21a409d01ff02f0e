package io.brook.cluster.admin;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * Checks a topic's config overrides before they are written. The broker passes one that parses
 * values with its {@code LogConfig} definition; {@link #KNOWN_NAMES} only checks the names.
 */
@FunctionalInterface
public interface TopicConfigValidator {

    /**
     * @param config the complete overrides the topic would have
     * @throws InvalidConfigurationException if a name is unknown or a value is invalid
     */
    void validate(String topic, Map<String, String> config);

    /** Every topic-config name kafka-clients declares in {@link TopicConfig}. */
    Set<String> TOPIC_CONFIG_NAMES = topicConfigNames();

    /**
     * Refuses names Kafka does not know as topic configs, and null values; checks the value of
     * {@code unclean.leader.election.enable}, which the controller (not the log) reads.
     */
    TopicConfigValidator KNOWN_NAMES = (topic, config) -> {
        for (Map.Entry<String, String> e : config.entrySet()) {
            if (!TOPIC_CONFIG_NAMES.contains(e.getKey())) {
                throw new InvalidConfigurationException("Unknown topic config name: " + e.getKey());
            }
            if (e.getValue() == null) {
                throw new InvalidConfigurationException("Null value not supported for topic configs: " + e.getKey());
            }
            if (e.getKey().equals(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG)
                    && !e.getValue().trim().equalsIgnoreCase("true")
                    && !e.getValue().trim().equalsIgnoreCase("false")) {
                throw new InvalidConfigurationException("Invalid value " + e.getValue() + " for configuration "
                        + e.getKey() + ": Expected value to be either true or false");
            }
        }
    };

    /** Then {@code next}, for a value check on top of the name check. */
    default TopicConfigValidator andThen(TopicConfigValidator next) {
        return (topic, config) -> {
            validate(topic, config);
            next.validate(topic, config);
        };
    }

    private static Set<String> topicConfigNames() {
        Set<String> names = new TreeSet<>();
        for (Field field : TopicConfig.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && field.getType() == String.class
                    && field.getName().endsWith("_CONFIG")) {
                try {
                    names.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Set.copyOf(names);
    }
}
