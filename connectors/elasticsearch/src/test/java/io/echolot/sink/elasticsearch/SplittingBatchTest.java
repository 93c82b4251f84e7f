package io.echolot.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.index.DocumentRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The bisection of refused bulks, driven the way the writer drives it. */
class SplittingBatchTest {

    /** What a fake Elasticsearch did with the batch. */
    private record Outcome(List<String> written, List<String> deadLettered, int requests) {}

    /** Refuses a whole request when it carries any of {@code refused}, as a 400 would. */
    private static Outcome run(List<DocumentRequest> entries, Set<String> refused) {
        SplittingBatch batch = new SplittingBatch(entries);
        List<String> written = new ArrayList<>();
        List<String> deadLettered = new ArrayList<>();
        int requests = 0;
        for (List<DocumentRequest> part = batch.nextPart(); part != null; part = batch.nextPart()) {
            requests++;
            boolean refusedAsAWhole = part.stream().anyMatch(r -> refused.contains(r.id()));
            if (!refusedAsAWhole) {
                part.forEach(r -> written.add(r.id()));
            } else if (!batch.split(part)) {
                deadLettered.add(part.get(0).id());
            }
        }
        return new Outcome(written, deadLettered, requests);
    }

    @Test
    void isolatesTheOneRefusedDocumentAndWritesAllOthers() {
        List<DocumentRequest> entries = documents(1000);

        Outcome outcome = run(entries, Set.of("d-617"));

        assertThat(outcome.deadLettered()).containsExactly("d-617");
        assertThat(outcome.written()).hasSize(999).doesNotContain("d-617").doesNotHaveDuplicates();
        // one request per level of the halving down to the single document, and its sibling
        assertThat(outcome.requests()).isLessThanOrEqualTo(1 + 2 * 10);
    }

    @Test
    void isolatesEveryRefusedDocumentInTheBatch() {
        List<DocumentRequest> entries = documents(50);

        Outcome outcome = run(entries, Set.of("d-0", "d-1", "d-25", "d-49"));

        assertThat(outcome.deadLettered()).containsExactly("d-0", "d-1", "d-25", "d-49");
        assertThat(outcome.written())
                .hasSize(46)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 50)
                                .filter(i -> i != 0 && i != 1 && i != 25 && i != 49)
                                .mapToObj(i -> "d-" + i)
                                .collect(Collectors.toList()));
    }

    @Test
    void sendsAGoodBatchOnceAndDeadLettersALoneRefusedDocument() {
        assertThat(run(documents(10), Set.of()).requests()).isEqualTo(1);

        Outcome single = run(documents(1), Set.of("d-0"));
        assertThat(single.deadLettered()).containsExactly("d-0");
        assertThat(single.requests()).isEqualTo(1);
    }

    @Test
    void keepsTheOrderOfTheBatchAndCollectsRetriesWithTheLongestBackoff() {
        SplittingBatch batch = new SplittingBatch(documents(5));
        List<DocumentRequest> whole = batch.nextPart();
        assertThat(batch.split(whole)).isTrue();
        assertThat(ids(batch.nextPart())).containsExactly("d-0", "d-1");
        List<DocumentRequest> second = batch.nextPart();
        assertThat(ids(second)).containsExactly("d-2", "d-3", "d-4");

        batch.retryLater(second.subList(0, 1), 200);
        batch.retryLater(second.subList(2, 3), 50);
        assertThat(batch.nextPart()).isNull();
        assertThat(ids(batch.retries())).containsExactly("d-2", "d-4");
        assertThat(batch.retryDelayMs()).isEqualTo(200);
    }

    private static List<String> ids(List<DocumentRequest> requests) {
        return requests.stream().map(DocumentRequest::id).collect(Collectors.toList());
    }

    private static List<DocumentRequest> documents(int n) {
        return IntStream.range(0, n)
                .mapToObj(
                        i ->
                                DocumentRequest.index(
                                        "i", "d-" + i, "{}".getBytes(StandardCharsets.UTF_8)))
                .collect(Collectors.toList());
    }
}
