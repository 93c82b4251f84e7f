package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The local stack's scripts and the Docker Compose file submit the jobs with declared flags only
 * (the Kubernetes manifest's flags go through the parser in {@link FlinkDeploymentManifestTest}). A
 * renamed flag would otherwise surface only when the demo fails to submit.
 */
class StackJobFlagsTest {

    private static final Path DOCKER = Path.of("..", "docker");

    /** A bash array of job flags, e.g. {@code local flags=(} up to its closing parenthesis. */
    private static final Pattern FLAG_ARRAY =
            Pattern.compile("(?m)^\\s*(?:local )?(?:flags|FLAGS)=\\(\\n((?:.*\\n)*?)\\s*\\)$");

    private static final Pattern FLAG = Pattern.compile("(?m)^\\s*--([a-z0-9-]+)\\b");

    @Test
    void theLocalStackScriptsPassOnlyDeclaredFlags() throws IOException {
        for (String script : List.of("up.sh", "throughput.sh")) {
            List<String> flags = new ArrayList<>();
            Matcher array = FLAG_ARRAY.matcher(Files.readString(DOCKER.resolve("local/" + script)));
            while (array.find()) {
                Matcher flag = FLAG.matcher(array.group(1));
                while (flag.find()) {
                    flags.add(flag.group(1));
                }
            }
            assertThat(flags).as("job flags in %s", script).isNotEmpty();
            assertThat(undeclared(flags)).as("undeclared flags in %s", script).isEmpty();
        }
    }

    @Test
    void theComposeSubmittersPassOnlyDeclaredFlags() throws IOException {
        JsonNode services =
                new ObjectMapper(new YAMLFactory())
                        .readTree(DOCKER.resolve("docker-compose.yml").toFile())
                        .path("services");
        for (String service : List.of("job-submitter", "indexing-submitter")) {
            List<String> flags = new ArrayList<>();
            boolean afterJar = false;
            for (JsonNode arg : services.path(service).path("command")) {
                String a = arg.asText();
                if (afterJar && a.startsWith("--")) {
                    flags.add(a.substring(2));
                }
                afterJar |= a.endsWith(".jar");
            }
            assertThat(flags).as("job flags of %s", service).isNotEmpty();
            assertThat(undeclared(flags)).as("undeclared flags of %s", service).isEmpty();
        }
    }

    private static Set<String> undeclared(List<String> flags) {
        Set<String> undeclared = new TreeSet<>(flags);
        undeclared.removeAll(JobFlags.names());
        return undeclared;
    }
}
