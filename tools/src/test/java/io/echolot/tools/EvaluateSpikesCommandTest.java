package io.echolot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.detect.SyntheticCounts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** evaluate-spikes on a tiny synthetic directory: output files, alert rows, labels, NAB table. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EvaluateSpikesCommandTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final DateTimeFormatter NAB =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int ROWS = 3 * 288;
    private static final int SPIKE = 2 * 288 + 150;

    private static String stamp(int i) {
        return NAB.format(SyntheticCounts.T0.plus(SyntheticCounts.WINDOW.multipliedBy(i)));
    }

    private static void writeCsv(Path file, long[] counts) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("timestamp,value");
        for (int i = 0; i < counts.length; i++) {
            lines.add(stamp(i) + "," + counts[i]);
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    @Test
    void writesScoresAndLabelsAndPrintsTheNabTable(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        long[] spiky = SyntheticCounts.poisson(ROWS, SyntheticCounts.daily(20), 1);
        spiky[SPIKE] = 150;
        spiky[SPIKE + 1] = 400;
        writeCsv(in.resolve("spiky.csv"), spiky);
        writeCsv(in.resolve("flat.csv"), SyntheticCounts.poisson(ROWS, i -> 20, 2));
        Files.writeString(in.resolve("notes.txt"), "not a series");
        Path windows = dir.resolve("windows.json");
        Files.writeString(
                windows,
                "{\"synthetic/spiky.csv\": [[\""
                        + stamp(SPIKE - 20)
                        + ".000000\", \""
                        + stamp(SPIKE + 20)
                        + ".000000\"]], \"synthetic/flat.csv\": []}");

        StringWriter printed = new StringWriter();
        CommandLine cli = io.echolot.tools.EcholotCli.commandLine();
        cli.setOut(new PrintWriter(printed, true));
        int exit =
                cli.execute(
                        "evaluate-spikes",
                        "--in",
                        in.toString(),
                        "--out",
                        out.toString(),
                        "--windows",
                        windows.toString());

        assertThat(exit).isZero();
        List<String> rows = Files.readAllLines(out.resolve("echolot_spiky.csv"));
        assertThat(rows).hasSize(ROWS + 1);
        assertThat(rows.get(0)).isEqualTo("timestamp,value,anomaly_score,label");
        List<Integer> alertRows = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).split(",");
            assertThat(f[0]).isEqualTo(stamp(i - 1));
            double score = Double.parseDouble(f[2]);
            if (score == 1.0) {
                alertRows.add(i - 1);
            } else {
                assertThat(score).isBetween(0.0, Math.nextDown(1.0));
            }
            int row = i - 1;
            assertThat(f[3]).isEqualTo(row >= SPIKE - 20 && row <= SPIKE + 20 ? "1" : "0");
        }
        assertThat(alertRows).containsExactly(SPIKE);
        assertThat(Files.readAllLines(out.resolve("echolot_flat.csv")))
                .hasSize(ROWS + 1)
                .noneMatch(l -> l.contains(",1.0,"));
        assertThat(out.resolve("echolot_notes.txt")).doesNotExist();

        String table = printed.toString();
        assertThat(table).contains("standard").contains("low_FP").contains("low_FN");
        // one window, hit 20 rows before its end (W = 41): 100 · (σ(-21/41)/σ(-1) + 1) / 2
        String total = table.lines().filter(l -> l.startsWith("total")).findFirst().orElseThrow();
        assertThat(total).contains("1/1").matches(".*\\s0\\s+1$");
        double expected =
                100
                        * (io.echolot.tools.nab.NabScorer.sigmoid(-21.0 / 41)
                                        / io.echolot.tools.nab.NabScorer.sigmoid(-1)
                                + 1)
                        / 2;
        assertThat(total).contains(String.format("%.2f", expected));
    }

    @Test
    void worksWithoutWindowsAndLabelsEverythingZero(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        writeCsv(in.resolve("a.csv"), SyntheticCounts.poisson(400, i -> 5, 3));
        int exit =
                EcholotCli.commandLine()
                        .execute(
                                "evaluate-spikes",
                                "--in",
                                in.toString(),
                                "--out",
                                dir.resolve("out").toString());
        assertThat(exit).isZero();
        List<String> rows = Files.readAllLines(dir.resolve("out").resolve("echolot_a.csv"));
        assertThat(rows).hasSize(401);
        assertThat(rows.subList(1, rows.size())).allMatch(l -> l.endsWith(",0"));
    }

    @Test
    void thinningKeepsAShareOfEveryCountAndIsRepeatable() {
        int n = 2000;
        long[] times = new long[n];
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = i * 300_000L;
            values[i] = i % 7 == 0 ? 0 : 50 + i % 13;
        }
        EvaluateSpikesCommand.Series s =
                new EvaluateSpikesCommand.Series("x.csv", new String[n], times, values, 300_000L);
        assertThat(EvaluateSpikesCommand.thin(s, 1.0, 1)).isSameAs(s);
        EvaluateSpikesCommand.Series a = EvaluateSpikesCommand.thin(s, 0.1, 1);
        assertThat(EvaluateSpikesCommand.thin(s, 0.1, 1).values()).isEqualTo(a.values());
        assertThat(EvaluateSpikesCommand.thin(s, 0.1, 2).values()).isNotEqualTo(a.values());
        long before = 0;
        long after = 0;
        for (int i = 0; i < n; i++) {
            assertThat(a.values()[i]).isBetween(0L, values[i]);
            before += values[i];
            after += a.values()[i];
        }
        // Binomial(~94,000, 0.1): sd about 92
        assertThat((double) after)
                .isCloseTo(0.1 * before, org.assertj.core.data.Offset.offset(500.0));
        assertThat(a.times()).isSameAs(times);
    }
}
