package io.echolot.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.util.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A window's statistics in state from before the authors were kept as hashes restore: a window open
 * at the upgrade goes on counting its authors, those before the upgrade included. The snapshots in
 * {@code echolot/state/} were written by {@link #main} with the code of that version (one open
 * window, ten authors).
 */
class MentionStatsRestoreTest {

    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    /** Keeps a window's statistics in keyed state, as the window operator does. */
    static final class Counting extends KeyedProcessFunction<String, ScopedMention, Long> {
        private static final long serialVersionUID = 1L;
        private final MentionStatistics statistics = new MentionStatistics(3);
        private transient ValueState<MentionStats> stats;

        @Override
        public void open(OpenContext openContext) {
            stats =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "window-stats",
                                            TypeInformation.of(MentionStats.class)));
        }

        @Override
        public void processElement(ScopedMention m, Context ctx, Collector<Long> out)
                throws Exception {
            MentionStats s = stats.value();
            if (s == null) {
                s = statistics.createAccumulator();
            }
            s = statistics.add(m, s);
            stats.update(s);
            out.collect(uniqueAuthors(s));
        }
    }

    private static long uniqueAuthors(MentionStats s) {
        return UniqueAuthors.count(s);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ScopedMention, Long> harness(
            String backend) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new Counting()),
                        new BrandTopicKey(),
                        Types.STRING);
        if (backend.equals("rocksdb")) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return h;
    }

    private static ScopedMention by(String author, int i) {
        Mention m =
                Mention.builder()
                        .id(author + "-" + i)
                        .platform(Platform.X)
                        .createdAt(T)
                        .text("t")
                        .author(new Author(author, author, 10))
                        .brands(List.of("b"))
                        .topics(List.of())
                        .engagement(new Engagement(1, 0, 0, 0))
                        .build();
        return new ScopedMention("b", "all", m);
    }

    private static String snapshot(String backend) {
        return "echolot/state/window-stats-authors-as-strings-" + backend + ".snapshot";
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aWindowOpenAtTheUpgradeGoesOnCountingItsAuthors(String backend) throws Exception {
        var h = harness(backend);
        h.initializeState(
                OperatorSnapshotUtil.readStateHandle(
                        Path.of("src/test/resources", snapshot(backend)).toString()));
        h.open();
        // authors a5 to a9 wrote before the upgrade too, a10 to a14 did not
        for (int i = 5; i < 15; i++) {
            h.processElement(by("a" + i, 100 + i), 0L);
        }
        assertThat(h.extractOutputValues()).last().isEqualTo(15L);
        h.close();
    }

    /** Writes the snapshots: one open window, authors a0 to a9, on each backend. */
    public static void main(String[] args) throws Exception {
        for (String backend : List.of("hashmap", "rocksdb")) {
            var h = harness(backend);
            h.open();
            for (int i = 0; i < 20; i++) {
                h.processElement(by("a" + (i % 10), i), 0L);
            }
            OperatorSnapshotUtil.writeStateHandle(
                    h.snapshot(1L, 1L),
                    Path.of("src/test/resources", snapshot(backend)).toString());
            h.close();
        }
    }
}
