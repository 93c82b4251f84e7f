package io.echolot.tools;

import io.echolot.jobs.IndexingJob;
import io.echolot.jobs.JobFlags;
import io.echolot.jobs.JobOptions;
import io.echolot.jobs.MentionAnalyticsJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code run}: the mention analytics job and the indexing job on embedded Flink in this JVM, with
 * the same flags as on a cluster.
 */
@Command(
        name = "run",
        description = {
            "Runs the mention analytics job and the indexing job on an embedded Flink in this process.",
            "Takes the jobs' flags (see README), e.g. --bootstrap-servers 127.0.0.1:9092 --es-hosts http://127.0.0.1:9200"
        })
final class RunCommand implements Callable<Integer> {

    @Unmatched List<String> jobArgs = new ArrayList<>();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String[] args = jobArgs.toArray(String[]::new);
        if (JobFlags.wantsHelp(args)) {
            spec.commandLine().getOut().print(JobFlags.help("echolot run [FLAGS]"));
            spec.commandLine().getOut().flush();
            return 0;
        }
        JobOptions options;
        try {
            options = JobOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        StreamExecutionEnvironment indexing = StreamExecutionEnvironment.getExecutionEnvironment();
        IndexingJob.defineJob(indexing, options);
        JobClient indexingJob = indexing.executeAsync("echolot indexing");
        StreamExecutionEnvironment analytics = StreamExecutionEnvironment.getExecutionEnvironment();
        MentionAnalyticsJob.defineJob(analytics, options);
        JobClient analyticsJob = analytics.executeAsync("echolot mention analytics");
        // both run until stopped; whichever ends first (a failure) ends the command
        analyticsJob
                .getJobExecutionResult()
                .applyToEither(indexingJob.getJobExecutionResult(), r -> r)
                .get();
        return 0;
    }
}
