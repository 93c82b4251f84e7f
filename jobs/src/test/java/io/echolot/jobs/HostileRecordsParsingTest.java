package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.ingest.FanOutLimits;
import io.echolot.ingest.MentionParser;
import io.echolot.jobs.HostileRecords.Expect;
import io.echolot.jobs.HostileRecords.Hostile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fuzz input of {@link HostileInputITCase} through the parser alone: it never throws, refuses
 * every broken record and accepts every valid one under the id that was sent.
 */
class HostileRecordsParsingTest {

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints()
                .limit(200)
                .forEach(
                        c -> {
                            if (c >= 0x20 && c < 0x7f) {
                                b.appendCodePoint(c);
                            } else {
                                b.append(String.format("\\u%04x", c));
                            }
                        });
        return b.toString();
    }

    @Test
    void theParserSettlesEveryHostileRecordWithoutThrowing() {
        Instant now = Instant.now();
        HostileRecords generator =
                new HostileRecords(
                        7L, now, "pharma", "Pharmazol", "care", "Carezon", "care_team", 131_072);
        List<Hostile> records = new ArrayList<>();
        records.addAll(generator.complaints(50, Duration.ofMinutes(40)));
        records.addAll(generator.adverseEvents(50));
        records.addAll(generator.mixed(30_000));
        MentionParser parser =
                new MentionParser(
                        131_072,
                        Duration.ofMinutes(10),
                        Clock.systemUTC(),
                        new FanOutLimits(10, 20));

        List<String> problems = new ArrayList<>();
        int refused = 0;
        for (Hostile h : records) {
            MentionParser.Result r;
            try {
                r = parser.parse(h.value());
            } catch (Throwable t) {
                problems.add(h.kind() + " #" + h.seq() + " threw " + t);
                continue;
            }
            if (!r.ok()) {
                refused++;
                assertThat(r.error()).as("reason").isNotBlank();
            }
            if (h.expect() == Expect.DEAD_LETTER && r.ok()) {
                problems.add(h.kind() + " #" + h.seq() + " was accepted");
            }
            if ((h.expect() == Expect.INDEXED || h.expect() == Expect.TOO_OLD)) {
                if (!r.ok()) {
                    problems.add(h.kind() + " #" + h.seq() + " was refused: " + r.error());
                } else if (!r.mention().id().equals(h.id())) {
                    problems.add(h.kind() + " #" + h.seq() + " got the id " + r.mention().id());
                }
            }
        }
        // escaped, so that hostile characters cannot garble the report
        assertThat(problems.stream().map(HostileRecordsParsingTest::escape).toList())
                .as("%d problems", problems.size())
                .isEmpty();
        // the mix holds both kinds in earnest
        assertThat(refused).isBetween(records.size() / 4, records.size() * 3 / 4);
    }
}
