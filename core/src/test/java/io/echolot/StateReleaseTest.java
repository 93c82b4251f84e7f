package io.echolot;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.alert.UnansweredAlerts;
import io.echolot.care.BrandConversations;
import io.echolot.care.CareEvent;
import io.echolot.care.CareKeys;
import io.echolot.care.CareOutcome;
import io.echolot.care.ClassifyCare;
import io.echolot.care.CustomerRecord;
import io.echolot.care.CustomerUpdate;
import io.echolot.care.JoinCustomers;
import io.echolot.care.ResponseTimes;
import io.echolot.care.ScopedOutcome;
import io.echolot.detect.AlertStatus;
import io.echolot.detect.IncidentCooldown;
import io.echolot.detect.SpikeAlert;
import io.echolot.enrich.DeduplicateMentions;
import io.echolot.model.Mention;
import io.echolot.model.TopMention;
import io.echolot.testing.Mentions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The keyed operators besides CEP: once a key is done (its retention, window or cooldown passed in
 * event time), no keyed state entry and no timer is left for it.
 */
class StateReleaseTest {

    static final long MINUTE = 60_000;
    static final long HOUR = 60 * MINUTE;
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void aMentionIdIsForgottenAfterTheDeduplicationWindow() throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DeduplicateMentions(Duration.ofHours(1))),
                        Mention::id,
                        Types.STRING);
        h.open();
        Mention m = Mentions.mention("m1", "cardiofit", List.of(), T0);
        h.processElement(m, T0.toEpochMilli());
        h.processElement(m, T0.toEpochMilli());
        assertThat(h.extractOutputValues()).hasSize(1);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        h.processWatermark(T0.toEpochMilli() + HOUR);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    static SpikeAlert spike(long windowEnd, String trigger) {
        return SpikeAlert.builder()
                .alertId("id")
                .brand("cardiofit")
                .topic("all")
                .type(SpikeAlert.SPIKE)
                .trigger(trigger)
                .status(AlertStatus.OPEN)
                .incidentStart(Instant.ofEpochMilli(windowEnd - 5 * MINUTE))
                .windowStart(Instant.ofEpochMilli(windowEnd - 5 * MINUTE))
                .windowEnd(Instant.ofEpochMilli(windowEnd))
                .observed(100)
                .expected(10)
                .surprise(0.99)
                .tailProbability(1e-12)
                .windows(1)
                .velocity(0)
                .reshareShare(0)
                .platforms(Map.of())
                .topMentions(List.of())
                .build();
    }

    @Test
    void anIncidentsCooldownKeyIsEmptyOnceItsQuietPeriodPassed() throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new IncidentCooldown(Duration.ofHours(24))),
                        (SpikeAlert a) -> a.brand() + "|" + a.topic(),
                        Types.STRING);
        h.open();
        long end = T0.toEpochMilli();
        h.processElement(spike(end, "extreme-window"), end - 1);
        h.processElement(spike(end + 5 * MINUTE, "rising-windows"), end + 5 * MINUTE - 1);
        h.processWatermark(end + 5 * MINUTE);
        assertThat(h.extractOutputValues()).hasSize(1);
        assertThat(h.getSideOutput(IncidentCooldown.CONTINUATIONS)).hasSize(1);
        assertThat(h.numKeyedStateEntries()).isPositive();
        h.processWatermark(end + 5 * MINUTE + 24 * HOUR);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    static CareEvent care(boolean reply, String reason, long at) {
        return new CareEvent(
                reply,
                "cardiofit",
                "root-1",
                "m" + at,
                "x",
                at,
                List.of(),
                false,
                reply ? 0 : 10 * MINUTE,
                reason,
                TopMention.of(Mentions.mention("m" + at, "cardiofit", List.of(), T0)),
                null);
    }

    @Test
    void aBrandConversationIsForgottenAfterItsRetention() throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new BrandConversations(Duration.ofHours(1))),
                        new CareKeys.Conversation(),
                        Types.STRING);
        h.open();
        h.processElement(care(true, ClassifyCare.BRAND_POST, 1_000), 1_000);
        h.processElement(care(true, null, 2_000), 2_000);
        h.processElement(care(false, ClassifyCare.CONVERSATION, 3_000), 3_000);
        h.processWatermark(3_000);
        assertThat(h.extractOutputValues())
                .extracting(CareEvent::at)
                .containsExactly(2_000L, 3_000L);
        h.processWatermark(2_000 + HOUR);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void anAnsweredConversationKeepsOnlyItsLastAlertVersionAndThatExpires() throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new UnansweredAlerts(Duration.ofHours(1))),
                        new CareKeys.OutcomeConversation(),
                        new CareKeys.Conversation(),
                        Types.STRING);
        h.setStateTtlProcessingTime(0);
        h.open();
        CareEvent item = care(false, ClassifyCare.ADDRESSED, 0);
        h.processElement1(new CareOutcome(CareOutcome.Kind.OVERDUE, item, -1), item.dueAt());
        h.processElement2(care(true, null, 20 * MINUTE), 20 * MINUTE);
        assertThat(h.extractOutputValues())
                .extracting(a -> a.state().name())
                .containsExactly("OPEN", "RESOLVED");
        h.processBothWatermarks(new Watermark(20 * MINUTE + HOUR));
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
        // the alert's last version outlives the conversation on purpose, for VERSION_MEMORY
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);

        // past that memory, state TTL drops it; the heap backend does so incrementally while the
        // state is in use, here by another conversation's alert
        h.setStateTtlProcessingTime(Duration.ofDays(91).toMillis());
        CareEvent other =
                new CareEvent(
                        false,
                        "cardiofit",
                        "root-2",
                        "o1",
                        "x",
                        2 * HOUR,
                        List.of(),
                        false,
                        10 * MINUTE,
                        ClassifyCare.ADDRESSED,
                        item.post(),
                        null);
        h.processElement1(new CareOutcome(CareOutcome.Kind.OVERDUE, other, -1), other.dueAt());
        h.processElement2(
                new CareEvent(
                        true,
                        "cardiofit",
                        "root-2",
                        "r2",
                        "x",
                        3 * HOUR,
                        List.of(),
                        false,
                        0,
                        null,
                        null,
                        null),
                3 * HOUR);
        h.processBothWatermarks(new Watermark(5 * HOUR));
        assertThat(h.extractOutputValues()).hasSize(4);
        assertThat(h.numKeyedStateEntries()).as("only root-2's last version").isEqualTo(1);
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void responseTimesOfAWindowLeaveNoTimerAfterItsRetention() throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ResponseTimes(Duration.ofHours(1))),
                        ScopedOutcome::key,
                        Types.STRING);
        h.open();
        h.processElement(
                new ScopedOutcome(
                        "cardiofit", "all", "x", 0, HOUR, CareOutcome.Kind.OPENED, "i1", -1, 1_000),
                1_000);
        h.processElement(
                new ScopedOutcome(
                        "cardiofit",
                        "all",
                        "x",
                        0,
                        HOUR,
                        CareOutcome.Kind.ANSWERED,
                        "i1",
                        60_000,
                        61_000),
                61_000);
        h.processWatermark(61_000);
        assertThat(h.extractOutputValues()).hasSize(1);
        h.processWatermark(2 * HOUR);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void aCustomerIsKeptUntilItsTombstoneAndMentionsOfStrangersKeepNothing() throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new JoinCustomers()),
                        new CareKeys.MentionAuthor(),
                        new CareKeys.CustomerAuthor(),
                        Types.STRING);
        h.open();
        Mention stranger = Mentions.mention("m1", "cardiofit", List.of(), T0);
        h.processElement1(stranger, T0.toEpochMilli());
        assertThat(h.numKeyedStateEntries()).isZero();

        Mention known = Mentions.mention("m2", "cardiofit", List.of(), T0);
        String key = new CareKeys.MentionAuthor().getKey(known);
        h.processElement2(
                new CustomerUpdate(key, new CustomerRecord("c1", null, "gold", 0), null, null), 0);
        h.processElement1(known, T0.toEpochMilli());
        assertThat(h.extractOutputValues().get(1).customer()).isNotNull();
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        h.processElement2(new CustomerUpdate(key, null, null, null), 0);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
        h.close();
    }
}
