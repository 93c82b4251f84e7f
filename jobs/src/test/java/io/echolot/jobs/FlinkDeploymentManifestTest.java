package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifest {@code docker/k8s/flink-deployment.yaml} cannot drift from the code: its
 * job flags must pass the job's own option parser, its entry class and Flink version must be the
 * build's, its secrets must arrive in the environment variables the job reads, and savepoint
 * upgrades need state storage.
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

    private static JsonNode spec;

    @BeforeAll
    static void readManifest() throws IOException {
        JsonNode manifest = new ObjectMapper(new YAMLFactory()).readTree(MANIFEST.toFile());
        assertThat(manifest.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(manifest.path("kind").asText()).isEqualTo("FlinkDeployment");
        spec = manifest.path("spec");
    }

    private static List<String> args() {
        List<String> args = new ArrayList<>();
        spec.path("job").path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static JsonNode mainContainer() {
        for (JsonNode c : spec.path("podTemplate").path("spec").path("containers")) {
            if (c.path("name").asText().equals("flink-main-container")) {
                return c;
            }
        }
        throw new AssertionError("no flink-main-container in the pod template");
    }

    /** The environment the pods get: secret references become a placeholder value. */
    private static Map<String, String> podEnvironment() {
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : mainContainer().path("env")) {
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
    private static String mountedFile(String path, Path localCopy) {
        List<String> configMapVolumes = new ArrayList<>();
        spec.path("podTemplate")
                .path("spec")
                .path("volumes")
                .forEach(
                        v -> {
                            if (v.has("configMap")) {
                                configMapVolumes.add(v.path("name").asText());
                            }
                        });
        boolean mounted = false;
        for (JsonNode m : mainContainer().path("volumeMounts")) {
            if (configMapVolumes.contains(m.path("name").asText())
                    && path.startsWith(m.path("mountPath").asText() + "/")) {
                mounted = true;
            }
        }
        assertThat(mounted).as("%s is under a config map mount", path).isTrue();
        return localCopy.toAbsolutePath().toString();
    }

    @Test
    void jobFlagsPassTheJobsOptionParser() {
        List<String> args = args();
        int rules = args.indexOf("--" + JobOptions.RULES);
        assertThat(rules).as("the manifest passes --rules").isNotNegative();
        args.set(rules + 1, mountedFile(args.get(rules + 1), EXAMPLE_RULES));

        JobOptions options = JobOptions.parse(args.toArray(String[]::new), podEnvironment());

        assertThat(options.esPassword()).as("ECHOLOT_ES_PASSWORD from the secret").isNotNull();
        assertThat(options.esHosts()).allMatch(h -> h.startsWith("https://"));
        assertThat(options.pipeline().rules()).isNotNull();
        // parallelism is the FlinkDeployment's to set, not a flag that would override it
        assertThat(options.parallelism()).isZero();
    }

    @Test
    void theParserWouldRejectAFlagTheJobDoesNotKnow() {
        List<String> args = args();
        args.set(args.indexOf("--" + JobOptions.RULES), "--rule-file");
        assertThatThrownBy(() -> JobOptions.parse(args.toArray(String[]::new), podEnvironment()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown flag --rule-file");
    }

    @Test
    void runsThisBuildsJobOnThisBuildsFlinkWithSavepointUpgrades() throws IOException {
        String[] version = EnvironmentInformation.getVersion().split("\\.");
        assertThat(spec.path("flinkVersion").asText())
                .isEqualTo("v" + version[0] + "_" + version[1]);
        assertThat(spec.path("image").asText()).isNotBlank();

        JsonNode job = spec.path("job");
        assertThat(job.path("entryClass").asText()).isEqualTo(MentionAnalyticsJob.class.getName());
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
}
