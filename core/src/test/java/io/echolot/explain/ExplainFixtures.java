package io.echolot.explain;

import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/** Organic and planted mentions for the driver tests. */
final class ExplainFixtures {

    static final String[] ORGANIC =
            "laufen schuh training marathon bequem preis lieferung groesse farbe sohle daempfung"
                    .split(" ");

    private ExplainFixtures() {}

    static Mention mention(
            String id, String text, String author, long followers, Platform platform, long at) {
        return Mention.builder()
                .id(id)
                .platform(platform)
                .url("https://example.com/p/" + id)
                .createdAt(Instant.ofEpochMilli(at))
                .text(text)
                .lang("de")
                .author(new Author("id-" + author, author, followers))
                .brands(List.of("strider"))
                .topics(List.of())
                .engagement(new Engagement(1, 0, 0, 10))
                .build();
    }

    /** Five organic words out of a small vocabulary, by one of 2,000 regular authors. */
    static Mention organic(Random r, String id, long at) {
        StringBuilder text = new StringBuilder("Strider");
        for (int i = 0; i < 5; i++) {
            text.append(' ').append(ORGANIC[r.nextInt(ORGANIC.length)]);
        }
        Platform p = Platform.values()[r.nextInt(3)];
        return mention(
                id, text.toString(), "fan" + r.nextInt(2_000), 500 + r.nextInt(5_000), p, at);
    }
}
