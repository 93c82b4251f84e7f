package io.echolot.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.index.DocumentRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PendingRetriesTest {

    private static DocumentRequest doc(String id) {
        return DocumentRequest.index("i", id, "{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void reportsTheOldestWaitingDocumentUntilItIsSettled() {
        PendingRetries pending = new PendingRetries();
        assertThat(pending.oldestAgeMs(5_000)).isZero();

        DocumentRequest a = doc("a").nextAttempt();
        DocumentRequest b = doc("b").nextAttempt();
        pending.add(a, 1_000);
        pending.add(b, 3_000);
        assertThat(pending.size()).isEqualTo(2);
        assertThat(pending.oldestAgeMs(5_000)).isEqualTo(4_000);

        // a is refused again: it keeps the time it was first refused
        long since = pending.remove(a);
        DocumentRequest a2 = a.nextAttempt();
        pending.add(a2, since);
        assertThat(since).isEqualTo(1_000);
        assertThat(pending.oldestAgeMs(6_000)).isEqualTo(5_000);

        assertThat(pending.remove(a2)).isEqualTo(1_000);
        assertThat(pending.oldestAgeMs(6_000)).isEqualTo(3_000);
        assertThat(pending.remove(b)).isEqualTo(3_000);
        assertThat(pending.size()).isZero();
        assertThat(pending.oldestAgeMs(6_000)).isZero();
    }

    @Test
    void tracksRequestsByIdentitySoEqualCopiesDoNotMix() {
        PendingRetries pending = new PendingRetries();
        DocumentRequest first = doc("same").nextAttempt();
        DocumentRequest equalCopy = doc("same").nextAttempt();
        pending.add(first, 100);
        pending.add(equalCopy, 200);

        assertThat(pending.remove(doc("same"))).isZero();
        assertThat(pending.remove(first)).isEqualTo(100);
        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.oldestSinceMs()).isEqualTo(200);
    }
}
