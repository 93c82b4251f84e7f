package io.echolot.sink.elasticsearch;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where a secret (a password, an API key) is read from: an environment variable or a file. Only the
 * name travels with the job graph, which Flink serialises and keeps in checkpoints, the
 * JobManager's blob store and HA metadata; the value is read where it is used, when the TaskManager
 * opens the writer, and lives only in that JVM's HTTP client.
 */
public final class SecretSource implements Serializable {

    private static final long serialVersionUID = 1L;

    private enum Kind {
        ENV,
        FILE
    }

    private final Kind kind;
    private final String name;

    private SecretSource(Kind kind, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(
                    "a secret needs an environment variable name or a file path");
        }
        this.kind = kind;
        this.name = name;
    }

    /** The secret is the value of the environment variable {@code variable}, stripped. */
    public static SecretSource env(String variable) {
        return new SecretSource(Kind.ENV, variable);
    }

    /** The secret is the content of the file at {@code path}, stripped of surrounding space. */
    public static SecretSource file(String path) {
        return new SecretSource(Kind.FILE, path);
    }

    /** Reads the secret in this JVM; the message of a failure names the source, never a value. */
    public String read() {
        return read(System.getenv());
    }

    /**
     * Reads the secret with {@code env} as the environment.
     *
     * @throws IllegalStateException if the variable is unset or blank, or the file is unreadable or
     *     blank
     */
    public String read(Map<String, String> env) {
        String value;
        if (kind == Kind.ENV) {
            value = env.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException(
                        "the environment variable " + name + " is not set (or blank) on this host");
            }
        } else {
            try {
                value = Files.readString(Path.of(name), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(
                        "the secret file " + name + " cannot be read on this host: " + e, e);
            }
            if (value.isBlank()) {
                throw new IllegalStateException("the secret file " + name + " is empty");
            }
        }
        return value.strip();
    }

    /**
     * Checks, without keeping it, that the secret can be read here: the client calls it so that a
     * missing secret stops the job before it is submitted.
     */
    public void check(Map<String, String> env) {
        read(env);
    }

    @Override
    public String toString() {
        return (kind == Kind.ENV ? "env " : "file ") + name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretSource
                && kind == ((SecretSource) o).kind
                && name.equals(((SecretSource) o).name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name);
    }
}
