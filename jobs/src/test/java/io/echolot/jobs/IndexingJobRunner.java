package io.echolot.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Starts the indexing job beside a test's analytics job, as a cluster runs the two, and cancels
 * every indexing job it started when the test ends.
 */
final class IndexingJobRunner implements AutoCloseable {

    private final List<JobClient> started = new ArrayList<>();

    JobClient start(Configuration conf, JobOptions options, String name) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        IndexingJob.defineJob(env, options);
        JobClient job = env.executeAsync(name + "-indexing");
        started.add(job);
        return job;
    }

    @Override
    public void close() throws Exception {
        for (JobClient job : started) {
            if (!job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState()) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
        started.clear();
    }
}
