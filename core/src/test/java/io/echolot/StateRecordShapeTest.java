package io.echolot;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.alert.Alert;
import io.echolot.alert.AlertSignal;
import io.echolot.detect.SpikeAlert;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The records kept in Flink state keep their components (names, types, order): their serializers
 * record the fields, and a savepoint of an earlier version must restore. Builders and {@code
 * Evidence} are the API; these shapes are the state format.
 */
class StateRecordShapeTest {

    private static List<String> shape(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents())
                .map(StateRecordShapeTest::describe)
                .toList();
    }

    private static String describe(RecordComponent c) {
        return c.getType().getSimpleName() + " " + c.getName();
    }

    @Test
    void alertKeepsItsComponents() {
        assertThat(shape(Alert.class))
                .containsExactly(
                        "String id",
                        "int version",
                        "AlertType type",
                        "AlertState state",
                        "Severity severity",
                        "String brand",
                        "String topic",
                        "Instant openedAt",
                        "Instant updatedAt",
                        "Instant resolvedAt",
                        "Instant windowStart",
                        "Instant windowEnd",
                        "double observed",
                        "double expected",
                        "double score",
                        "List topMentions",
                        "Map platforms",
                        "Long velocity",
                        "Double reshareShare",
                        "CareContext care",
                        "AlertDrivers drivers");
    }

    @Test
    void alertSignalKeepsItsComponents() {
        assertThat(shape(AlertSignal.class))
                .containsExactly(
                        "AlertType type",
                        "String brand",
                        "String topic",
                        "Instant windowStart",
                        "Instant windowEnd",
                        "double observed",
                        "double expected",
                        "double score",
                        "Severity severity",
                        "List topMentions",
                        "Map platforms",
                        "Long velocity",
                        "Double reshareShare",
                        "boolean opens",
                        "AlertDrivers drivers");
    }

    @Test
    void spikeAlertKeepsItsComponents() {
        assertThat(shape(SpikeAlert.class))
                .containsExactly(
                        "String alertId",
                        "String brand",
                        "String topic",
                        "String type",
                        "String trigger",
                        "AlertStatus status",
                        "Instant incidentStart",
                        "Instant windowStart",
                        "Instant windowEnd",
                        "long observed",
                        "double expected",
                        "double surprise",
                        "double tailProbability",
                        "int windows",
                        "long velocity",
                        "double reshareShare",
                        "Map platforms",
                        "List topMentions");
    }
}
