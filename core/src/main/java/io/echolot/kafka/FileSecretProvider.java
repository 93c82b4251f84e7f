package io.echolot.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Resolves {@code ${file:/path}} in Kafka client settings to the content of that file (a mounted
 * Kubernetes Secret, say), without the trailing line break, read by the process that creates the
 * client. Kafka's own {@code FileConfigProvider} reads one key of a properties file instead.
 */
public final class FileSecretProvider implements ConfigProvider {

    /** The provider alias, the part before the colon in {@code ${file:/path}}. */
    public static final String ALIAS = "file";

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public ConfigData get(String path) {
        return new ConfigData(Map.of());
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> values = new HashMap<>();
        for (String file : keys) {
            try {
                String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
                values.put(file, content.stripTrailing());
            } catch (IOException | RuntimeException e) {
                // the exception's own message names the file, never its content
                throw new ConfigException(
                        "the file "
                                + file
                                + " that the Kafka client properties name (${file:"
                                + file
                                + "}) cannot be read in this process: "
                                + e);
            }
        }
        return new ConfigData(values);
    }

    @Override
    public void close() {}
}
