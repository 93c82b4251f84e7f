package io.echolot.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Resolves {@code ${env:NAME}} in Kafka client settings from the environment of the process that
 * creates the client. Unlike Kafka's own {@code EnvVarConfigProvider}, a variable that is not set
 * fails the client with a message naming it, instead of sending the placeholder as the value.
 */
public final class EnvSecretProvider implements ConfigProvider {

    /** The provider alias, the part before the colon in {@code ${env:NAME}}. */
    public static final String ALIAS = "env";

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public ConfigData get(String path) {
        return new ConfigData(Map.of());
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> values = new HashMap<>();
        for (String name : keys) {
            String value = System.getenv(name);
            if (value == null) {
                throw new ConfigException(
                        "the environment variable "
                                + name
                                + " that the Kafka client properties name (${env:"
                                + name
                                + "}) is not set in this process");
            }
            values.put(name, value);
        }
        return new ConfigData(values);
    }

    @Override
    public void close() {}
}
