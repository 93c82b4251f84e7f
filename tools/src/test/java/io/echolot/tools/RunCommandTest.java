package io.echolot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.jobs.JobFlags;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {

    @Test
    void runHelpListsEveryFlagOfTheJobsAndStartsNothing() {
        StringWriter printed = new StringWriter();
        CommandLine cli = EcholotCli.commandLine();
        cli.setOut(new PrintWriter(printed, true));

        int exit = cli.execute("run", "--help");

        assertThat(exit).isZero();
        assertThat(printed.toString())
                .startsWith("echolot run [FLAGS]")
                .contains("--bootstrap-servers [localhost:9092]", "--rules");
        for (var flag : JobFlags.all()) {
            assertThat(printed.toString()).contains("--" + flag.key());
        }
    }
}
