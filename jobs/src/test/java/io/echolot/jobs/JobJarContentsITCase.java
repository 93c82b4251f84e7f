package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The jar users submit to their cluster carries the job and what it runs, and none of the tools: no
 * CLI classes, no picocli, no Table API (the benchmark's SQL peer). Runs after {@code package}, on
 * the built {@code target/echolot-job.jar}.
 */
class JobJarContentsITCase {

    @Test
    void theJobJarCarriesTheJobsButNoToolsPicocliOrTableApi() throws IOException {
        Path jar = Path.of("target", "echolot-job.jar");
        assertThat(jar).as("built by the package phase").exists();
        List<String> entries;
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(e -> e.getName()).collect(Collectors.toList());
        }
        assertThat(entries)
                .contains(
                        "io/echolot/jobs/MentionAnalyticsJob.class",
                        "io/echolot/jobs/IndexingJob.class",
                        "io/echolot/sink/elasticsearch/ElasticsearchSink.class",
                        "io/echolot/sink/webhook/WebhookSink.class",
                        "io/echolot/ingest/MentionParser.class");
        assertThat(entries)
                .filteredOn(
                        e ->
                                e.startsWith("io/echolot/tools/")
                                        || e.startsWith("picocli/")
                                        || e.startsWith("org/apache/flink/table/"))
                .isEmpty();
        assertThat(Files.size(jar)).isPositive();
    }
}
