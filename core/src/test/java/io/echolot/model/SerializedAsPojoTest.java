package io.echolot.model;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojo;
import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import io.echolot.deadletter.DeadLetter;
import io.echolot.deadletter.RawRecord;
import io.echolot.window.MentionStats;
import io.echolot.window.ScopedMention;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every type that crosses the network or lives in state is a Flink POJO, never a Kryo fallback. */
class SerializedAsPojoTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                Mention.class,
                Author.class,
                Engagement.class,
                TopMention.class,
                WindowAggregate.class,
                EngagementTotals.class,
                SentimentStats.class,
                RawRecord.class,
                io.echolot.ingest.ParsedRecord.class,
                DeadLetter.class,
                ScopedMention.class,
                MentionStats.class,
                io.echolot.alert.Alert.class,
                io.echolot.alert.AlertSignal.class,
                io.echolot.detect.negative.NegativeScore.class,
                io.echolot.detect.negative.NegativeBaseline.class,
                io.echolot.care.CareEvent.class,
                io.echolot.care.CareOutcome.class,
                io.echolot.care.ScopedOutcome.class,
                io.echolot.care.CareFigures.class,
                io.echolot.care.CustomerRecord.class,
                io.echolot.care.CustomerUpdate.class,
                io.echolot.care.CustomerMention.class,
                io.echolot.alert.CareContext.class,
                io.echolot.alert.AlertDrivers.class,
                io.echolot.alert.Driver.class,
                io.echolot.alert.ReachPost.class,
                io.echolot.explain.WindowEvidence.class,
                io.echolot.explain.KeyBaseline.class
            })
    void isSerializedAsPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojo(type);
        assertSerializedAsPojoWithoutKryo(type);
    }
}
