package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes manifest {@code docker/k8s/flink-deployment.yaml} cannot drift from the code. It
 * holds two deployments of the same image: the analytics job ({@code echolot}) and the indexing job
 * ({@code echolot-indexing}). Their job flags must pass the jobs' own option parser and be the same
 * for both (the indexing job takes the analytics job's flags), their entry classes and Flink
 * version must be the build's, their secrets must arrive in the environment variables the jobs
 * read, and savepoint upgrades need state storage, a separate one per deployment.
 */
class FlinkDeploymentManifestTest {

    private static final Path MANIFEST = Path.of("..", "docker", "k8s", "flink-deployment.yaml");
    private static final Path DOCKERFILE = Path.of("..", "docker", "k8s", "Dockerfile");
    private static final Path EXAMPLE_RULES =
            Path.of(
                    "..",
                    "schemas",
                    "src",
                    "main",
                    "resources",
                    "echolot",
                    "rules",
                    "example-rules.yaml");

    private static final String ANALYTICS = "echolot";
    private static final String INDEXING = "echolot-indexing";

    /** The spec of each FlinkDeployment, by name, in file order. */
    private static final Map<String, JsonNode> SPECS = new LinkedHashMap<>();

    @BeforeAll
    static void readManifest() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (MappingIterator<JsonNode> documents =
                yaml.readerFor(JsonNode.class).readValues(MANIFEST.toFile())) {
            while (documents.hasNext()) {
                JsonNode manifest = documents.next();
                if (manifest == null || manifest.isEmpty()) {
                    continue;
                }
                assertThat(manifest.path("apiVersion").asText())
                        .isEqualTo("flink.apache.org/v1beta1");
                assertThat(manifest.path("kind").asText()).isEqualTo("FlinkDeployment");
                SPECS.put(manifest.path("metadata").path("name").asText(), manifest.path("spec"));
            }
        }
        assertThat(SPECS.keySet()).containsExactly(ANALYTICS, INDEXING);
    }

    private static JsonNode spec(String deployment) {
        return SPECS.get(deployment);
    }

    private static List<String> args(String deployment) {
        List<String> args = new ArrayList<>();
        spec(deployment).path("job").path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static JsonNode mainContainer(String deployment) {
        for (JsonNode c : spec(deployment).path("podTemplate").path("spec").path("containers")) {
            if (c.path("name").asText().equals("flink-main-container")) {
                return c;
            }
        }
        throw new AssertionError("no flink-main-container in the pod template of " + deployment);
    }

    /** The environment the pods get: secret references become a placeholder value. */
    private static Map<String, String> podEnvironment(String deployment) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : mainContainer(deployment).path("env")) {
            String value = e.has("value") ? e.path("value").asText() : "from-secret";
            if (e.path("valueFrom").has("secretKeyRef")) {
                assertThat(e.path("valueFrom").path("secretKeyRef").path("key").asText())
                        .as("secret key of %s", e.path("name").asText())
                        .isNotBlank();
            }
            env.put(e.path("name").asText(), value);
        }
        return env;
    }

    /** A file flag's value must lie under a mount of a config map; the test reads a real file. */
    private static String mountedFile(String deployment, String path, Path localCopy) {
        List<String> configMapVolumes = new ArrayList<>();
        spec(deployment)
                .path("podTemplate")
                .path("spec")
                .path("volumes")
                .forEach(
                        v -> {
                            if (v.has("configMap")) {
                                configMapVolumes.add(v.path("name").asText());
                            }
                        });
        boolean mounted = false;
        for (JsonNode m : mainContainer(deployment).path("volumeMounts")) {
            if (configMapVolumes.contains(m.path("name").asText())
                    && path.startsWith(m.path("mountPath").asText() + "/")) {
                mounted = true;
            }
        }
        assertThat(mounted).as("%s: %s is under a config map mount", deployment, path).isTrue();
        return localCopy.toAbsolutePath().toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {ANALYTICS, INDEXING})
    void jobFlagsPassTheJobsOptionParser(String deployment) {
        List<String> args = args(deployment);
        int rules = args.indexOf("--" + JobFlags.RULES.key());
        assertThat(rules).as("%s passes --rules", deployment).isNotNegative();
        args.set(rules + 1, mountedFile(deployment, args.get(rules + 1), EXAMPLE_RULES));

        JobOptions options =
                JobOptions.parse(args.toArray(String[]::new), podEnvironment(deployment));

        assertThat(options.esPassword()).as("ECHOLOT_ES_PASSWORD from the secret").isNotNull();
        assertThat(options.esHosts()).allMatch(h -> h.startsWith("https://"));
        assertThat(options.pipeline().rules()).isNotNull();
        // parallelism is the FlinkDeployment's to set, not a flag that would override it
        assertThat(options.parallelism()).isZero();
    }

    @Test
    void bothJobsGetTheSameFlags() {
        // the indexing job reads the analytics job's index topics (--index-topic-prefix), its group
        // id is derived from --group-id, and it writes to the Elasticsearch the flags name
        assertThat(args(INDEXING)).isEqualTo(args(ANALYTICS));
    }

    @Test
    void theParserWouldRejectAFlagTheJobDoesNotKnow() {
        List<String> args = args(ANALYTICS);
        args.set(args.indexOf("--" + JobFlags.RULES.key()), "--rule-file");
        assertThatThrownBy(
                        () ->
                                JobOptions.parse(
                                        args.toArray(String[]::new), podEnvironment(ANALYTICS)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown flag --rule-file");
    }

    @Test
    void eachDeploymentRunsItsJob() {
        assertThat(spec(ANALYTICS).path("job").path("entryClass").asText())
                .isEqualTo(MentionAnalyticsJob.class.getName());
        assertThat(spec(INDEXING).path("job").path("entryClass").asText())
                .isEqualTo(IndexingJob.class.getName());
        assertThat(spec(INDEXING).path("image").asText())
                .isEqualTo(spec(ANALYTICS).path("image").asText());
        assertThat(spec(INDEXING).path("job").path("jarURI").asText())
                .isEqualTo(spec(ANALYTICS).path("job").path("jarURI").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {ANALYTICS, INDEXING})
    void runsThisBuildsJobOnThisBuildsFlinkWithSavepointUpgrades(String deployment)
            throws IOException {
        JsonNode spec = spec(deployment);
        String[] version = EnvironmentInformation.getVersion().split("\\.");
        assertThat(spec.path("flinkVersion").asText())
                .isEqualTo("v" + version[0] + "_" + version[1]);
        assertThat(spec.path("image").asText()).isNotBlank();

        JsonNode job = spec.path("job");
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(job.path("parallelism").asInt()).isPositive();
        String jar = job.path("jarURI").asText();
        assertThat(jar).startsWith("local://");
        assertThat(Files.readString(DOCKERFILE))
                .contains("FROM flink:" + EnvironmentInformation.getVersion() + "-java17")
                .contains("jobs/target/echolot-job.jar " + jar.substring("local://".length()));

        JsonNode conf = spec.path("flinkConfiguration");
        assertThat(conf.path("execution.checkpointing.dir").asText()).isNotBlank();
        assertThat(conf.path("execution.checkpointing.savepoint-dir").asText()).isNotBlank();
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.path("high-availability.storageDir").asText()).isNotBlank();
        assertThat(spec.path("jobManager").path("resource").path("memory").asText()).isNotBlank();
        assertThat(spec.path("taskManager").path("resource").path("memory").asText()).isNotBlank();
    }

    @Test
    void theDeploymentsKeepTheirStateApart() {
        // two clusters: one HA store or savepoint directory for both would mix their metadata
        for (String key :
                List.of(
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        "high-availability.storageDir")) {
            assertThat(spec(INDEXING).path("flinkConfiguration").path(key).asText())
                    .as(key)
                    .isNotEqualTo(spec(ANALYTICS).path("flinkConfiguration").path(key).asText());
        }
    }
}
