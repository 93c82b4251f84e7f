package io.echolot.alert;

import io.echolot.model.Mention;
import io.echolot.model.Platform;
import io.echolot.model.TopMention;

/** A post of an alert's windows that reached many accounts (its author's followers). */
public record ReachPost(
        String id, String url, Platform platform, String authorHandle, String text, long reach) {

    public static ReachPost of(Mention m) {
        TopMention t = TopMention.of(m); // the same cut text as the top mentions
        return new ReachPost(
                t.id(), t.url(), t.platform(), t.authorHandle(), t.text(), m.author().followers());
    }
}
