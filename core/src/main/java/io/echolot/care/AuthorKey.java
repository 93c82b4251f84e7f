package io.echolot.care;

import io.echolot.model.Mention;

/**
 * The key of an author in the customers topic: {@code <platform>:<author id>}, e.g. {@code
 * x:1234567}, with the platform's wire name. Author ids are unique only per platform.
 */
public final class AuthorKey {

    private AuthorKey() {}

    public static String of(Mention m) {
        return m.platform().wireName() + ':' + m.author().id();
    }
}
