package io.echolot.sink.webhook;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a secret value lives: an environment variable or a file, never the configuration itself.
 * The value is read where it is used (on the TaskManager), so it never travels in the job graph,
 * and {@link #toString()} names only where it comes from.
 */
public record SecretRef(String env, String file) implements Serializable {

    public SecretRef {
        if ((env == null) == (file == null)) {
            throw new IllegalArgumentException("a secret comes from exactly one env var or file");
        }
    }

    public static SecretRef ofEnv(String name) {
        return new SecretRef(name, null);
    }

    public static SecretRef ofFile(String path) {
        return new SecretRef(null, path);
    }

    /**
     * The value, stripped of surrounding white space.
     *
     * @throws IllegalStateException saying which variable or file is missing or empty
     */
    public String resolve(Map<String, String> environment) {
        String value;
        if (env != null) {
            value = environment.get(env);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("environment variable " + env + " is not set");
            }
        } else {
            try {
                value = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(
                        "secret file " + file + " cannot be read: " + e.getMessage(), e);
            }
            if (value.isBlank()) {
                throw new IllegalStateException("secret file " + file + " is empty");
            }
        }
        return value.strip();
    }

    @Override
    public String toString() {
        return env != null ? "env:" + env : "file:" + file;
    }
}
