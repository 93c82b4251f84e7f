package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JobFlagsTest {

    @Test
    void helpListsEveryDeclaredFlagWithItsDefaultAndDescription() {
        String help = JobFlags.help("usage line");
        assertThat(help).startsWith("usage line\n");
        for (ConfigOption<?> flag : JobFlags.all()) {
            String dflt = JobFlags.defaultText(flag);
            assertThat(help)
                    .contains("  --" + flag.key() + (dflt == null ? "\n" : " [" + dflt + "]\n"));
            assertThat(JobFlags.description(flag))
                    .as("description of --%s", flag.key())
                    .isNotBlank();
        }
        assertThat(help)
                .contains("  --window-size [1 min]\n")
                .contains("  --spike-extreme-p [1e-10]\n")
                .contains("  --rules\n");
    }

    @Test
    void everyDeclaredFlagHasItsOwnName() {
        assertThat(JobFlags.names()).hasSameSizeAs(JobFlags.all());
        assertThat(JobFlags.names()).allMatch(n -> n.matches("[a-z][a-z0-9-]*"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void bothJobsPrintTheirFlagsOnHelpAndStartNothing() throws Exception {
        // with the default flags a job would wait for a Kafka broker: returning at all shows that
        // nothing was started
        assertThat(printed(() -> MentionAnalyticsJob.main(new String[] {"--help"})))
                .startsWith(MentionAnalyticsJob.USAGE)
                .contains("  --bootstrap-servers [localhost:9092]");
        assertThat(printed(() -> IndexingJob.main(new String[] {"--es-hosts", "x", "-h"})))
                .startsWith(IndexingJob.USAGE)
                .contains("  --es-hosts [http://localhost:9200]");
    }

    private interface Main {
        void run() throws Exception;
    }

    private static String printed(Main main) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(out);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
