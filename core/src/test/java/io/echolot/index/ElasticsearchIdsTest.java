package io.echolot.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ElasticsearchIdsTest {

    private static final String CJK_250 = "語".repeat(250);

    @Test
    void keepsIdsThatFit() {
        assertThat(ElasticsearchIds.of("x:1234567890")).isEqualTo("x:1234567890");
        String ascii512 = "a".repeat(512);
        assertThat(ElasticsearchIds.of(ascii512)).isSameAs(ascii512);
        String cjk170 = "語".repeat(170); // 510 bytes
        assertThat(ElasticsearchIds.of(cjk170)).isEqualTo(cjk170);
        String emoji128 = "😀".repeat(128); // 512 bytes in 256 chars
        assertThat(ElasticsearchIds.of(emoji128)).isEqualTo(emoji128);
    }

    @Test
    void hashesIdsOverElasticsearchsLimitToAStableShortId() {
        assertThat(CJK_250.getBytes(StandardCharsets.UTF_8)).hasSize(750);
        String hashed = ElasticsearchIds.of(CJK_250);

        assertThat(hashed).startsWith(ElasticsearchIds.HASH_PREFIX).hasSize(50);
        assertThat(hashed.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(ElasticsearchIds.MAX_BYTES);
        assertThat(hashed).matches("sha256~[A-Za-z0-9_-]{43}");
        assertThat(ElasticsearchIds.of(new String(CJK_250))).isEqualTo(hashed);
        assertThat(ElasticsearchIds.isHashed(hashed)).isTrue();

        assertThat(ElasticsearchIds.of("a".repeat(513))).startsWith("sha256~");
        assertThat(ElasticsearchIds.of("😀".repeat(128) + "a")).startsWith("sha256~");
        // one character apart at the end: different documents
        assertThat(ElasticsearchIds.of("a".repeat(600) + "b"))
                .isNotEqualTo(ElasticsearchIds.of("a".repeat(600) + "c"));
    }

    @Test
    void hashesIdsThatLookHashedSoAHashNeverEqualsAPlainId() {
        String hashed = ElasticsearchIds.of(CJK_250);

        // someone sends the hash of another document as an id of their own
        String lookalike = ElasticsearchIds.of(hashed);
        assertThat(lookalike).startsWith("sha256~").isNotEqualTo(hashed);
        assertThat(ElasticsearchIds.of("sha256~short")).startsWith("sha256~").hasSize(50);
        assertThat(ElasticsearchIds.of("sha256")).isEqualTo("sha256");
        assertThat(ElasticsearchIds.isHashed(ElasticsearchIds.of("plain"))).isFalse();
    }

    @Test
    void hashesIdsWithUnpairedSurrogatesWithoutMixingThemUp() {
        String highAlone = "a\uD83D";
        String lowAlone = "a\uDE00";

        assertThat(ElasticsearchIds.of(highAlone)).startsWith("sha256~");
        assertThat(ElasticsearchIds.of(lowAlone)).startsWith("sha256~");
        // both would encode to "a?" in UTF-8
        assertThat(ElasticsearchIds.of(highAlone)).isNotEqualTo(ElasticsearchIds.of(lowAlone));
        assertThat(ElasticsearchIds.of(highAlone)).isNotEqualTo(ElasticsearchIds.of("a?"));
    }

    @Test
    void everyRequestCarriesTheIdToSendAndKeepsTheOriginal() {
        DocumentRequest request =
                DocumentRequest.index("i", CJK_250, "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(request.id()).isEqualTo(CJK_250);
        assertThat(request.elasticsearchId()).isEqualTo(ElasticsearchIds.of(CJK_250));
        assertThat(request.nextAttempt().elasticsearchId()).isEqualTo(request.elasticsearchId());
        assertThat(DocumentRequest.delete("i", "d-1").elasticsearchId()).isEqualTo("d-1");
    }
}
