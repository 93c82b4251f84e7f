package io.echolot.detect;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojo;
import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The detection's event and state types are Flink POJOs, never a Kryo fallback. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DetectTypesTest {

    @ParameterizedTest
    @ValueSource(classes = {SpikeScore.class, SpikeAlert.class, BaselineState.class})
    void isSerializedAsPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojo(type);
        assertSerializedAsPojoWithoutKryo(type);
    }
}
