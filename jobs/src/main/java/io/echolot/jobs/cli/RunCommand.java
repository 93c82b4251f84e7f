package io.echolot.jobs.cli;

import io.echolot.jobs.MentionAnalyticsJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code run}: the mention analytics job on an embedded Flink MiniCluster in this JVM, with the
 * same flags as on a cluster.
 */
@Command(
        name = "run",
        description = {
            "Runs the mention analytics job on an embedded Flink in this process.",
            "Takes the job's flags (see README), e.g. --bootstrap-servers 127.0.0.1:9092 --es-hosts http://127.0.0.1:9200"
        })
final class RunCommand implements Callable<Integer> {

    @Unmatched List<String> jobArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        MentionAnalyticsJob.main(jobArgs.toArray(String[]::new));
        return 0;
    }
}
