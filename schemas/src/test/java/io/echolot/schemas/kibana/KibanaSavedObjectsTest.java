package io.echolot.schemas.kibana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Kibana saved objects shipped in {@code docker/kibana/*.ndjson} (every file there, so a
 * dashboard added later is checked too) against the index templates the job installs.
 */
class KibanaSavedObjectsTest {

    static final Path KIBANA_DIR = Path.of("..", "docker", "kibana");
    static final Path TEMPLATES_DIR = Path.of("src/main/resources/echolot/elasticsearch/templates");

    static List<Path> ndjsonFiles() throws IOException {
        try (var files = Files.list(KIBANA_DIR)) {
            return files.filter(f -> f.toString().endsWith(".ndjson")).sorted().toList();
        }
    }

    @Test
    void everySavedObjectFitsTheIndexTemplates() throws IOException {
        List<Path> files = ndjsonFiles();
        assertThat(files).as("NDJSON files in %s", KIBANA_DIR.toAbsolutePath()).isNotEmpty();
        SavedObjectsValidator validator =
                new SavedObjectsValidator(SavedObjectsValidator.readTemplates(TEMPLATES_DIR));
        for (Path f : files) {
            validator.addFile(f);
        }

        assertThat(validator.validate()).isEmpty();
        assertThat(validator.ids("index-pattern"))
                .containsExactlyInAnyOrder(
                        "echolot-mentions", "echolot-aggregates", "echolot-alerts", "echolot-care");
        assertThat(validator.ids("dashboard"))
                .contains(
                        "echolot-brand-overview",
                        "echolot-alerts",
                        "echolot-mention-drilldown",
                        "echolot-care-dashboard");
    }

    @Test
    void everyIndexTemplateHasADataView() throws IOException {
        SavedObjectsValidator validator =
                new SavedObjectsValidator(SavedObjectsValidator.readTemplates(TEMPLATES_DIR));
        for (Path f : ndjsonFiles()) {
            validator.addFile(f);
        }
        validator.validate();
        assertThat(SavedObjectsValidator.readTemplates(TEMPLATES_DIR))
                .extracting(IndexTemplateFields::name)
                .containsExactlyInAnyOrderElementsOf(validator.ids("index-pattern"));
    }
}
