package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's flag table ("The job's flags") is the declared flags of {@link JobFlags}, both ways:
 * every declared flag has a row, every row is a declared flag, and the defaults agree.
 */
class ReadmeFlagTableTest {

    private static final Path README = Path.of("..", "README.md");
    private static final String SECTION = "## The job's flags";
    private static final Pattern ROW =
            Pattern.compile("^\\| `--([a-z0-9-]+)` \\| (.*?) \\| .*\\|$");
    private static final Pattern ONE_CODE_SPAN = Pattern.compile("^`([^`]*)`$");

    /** The default cell of each row, by flag, in the table's order. */
    private static final Map<String, String> ROWS = new LinkedHashMap<>();

    private static final List<String> DUPLICATES = new ArrayList<>();

    @BeforeAll
    static void readTheTable() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int start = lines.indexOf(SECTION);
        assertThat(start).as("README has the section %s", SECTION).isNotNegative();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("| `--")) {
                Matcher m = ROW.matcher(line);
                assertThat(m.matches()).as("a flag row: %s", line).isTrue();
                if (ROWS.put(m.group(1), m.group(2).trim()) != null) {
                    DUPLICATES.add(m.group(1));
                }
            }
        }
        assertThat(ROWS).as("rows of the flag table").isNotEmpty();
    }

    @Test
    void theReadmeTableListsExactlyTheDeclaredFlags() {
        assertThat(DUPLICATES).as("flags with two rows").isEmpty();
        Set<String> undeclared = new TreeSet<>(ROWS.keySet());
        undeclared.removeAll(JobFlags.names());
        Set<String> missing = new TreeSet<>(JobFlags.names());
        missing.removeAll(ROWS.keySet());
        assertThat(undeclared).as("README rows that are no declared flag").isEmpty();
        assertThat(missing).as("declared flags without a README row").isEmpty();
    }

    @Test
    void theReadmeTableListsTheFlagsInTheOrderOfHelp() {
        assertThat(new ArrayList<>(ROWS.keySet()))
                .containsExactlyElementsOf(new ArrayList<>(JobFlags.names()));
    }

    @Test
    void theReadmeDefaultsAreTheDeclaredDefaults() {
        List<String> wrong = new ArrayList<>();
        for (ConfigOption<?> flag : JobFlags.all()) {
            String cell = ROWS.get(flag.key());
            if (cell == null) {
                continue; // the test above names it
            }
            Matcher literal = ONE_CODE_SPAN.matcher(cell);
            if (!flag.hasDefaultValue()) {
                // a flag without a default says in words what happens when it is not set
                if (literal.matches()) {
                    wrong.add("--" + flag.key() + ": README says " + cell + ", declared: none");
                }
                continue;
            }
            if (!literal.matches()) {
                wrong.add(
                        "--"
                                + flag.key()
                                + ": README says '"
                                + cell
                                + "', declared: `"
                                + JobFlags.defaultText(flag)
                                + "`");
                continue;
            }
            // read the way the flag's type reads it, so `24 h` and `1 d` are the same duration
            Object readme;
            try {
                readme = Configuration.fromMap(Map.of(flag.key(), literal.group(1))).get(flag);
            } catch (IllegalArgumentException e) {
                readme = "unreadable " + literal.group(1);
            }
            if (!flag.defaultValue().equals(readme)) {
                wrong.add(
                        "--"
                                + flag.key()
                                + ": README says "
                                + cell
                                + ", declared: `"
                                + JobFlags.defaultText(flag)
                                + "`");
            }
        }
        assertThat(wrong).as("README defaults that differ from the declarations").isEmpty();
    }
}
