package io.echolot.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code echolot-cli.jar} entry point: runs the job locally on an embedded Flink and hosts the
 * tools around it. {@code java -jar echolot-cli.jar --help} lists the subcommands.
 */
@Command(
        name = "echolot",
        mixinStandardHelpOptions = true,
        versionProvider = EcholotCli.Version.class,
        description =
                "Social listening on Apache Flink: run the job locally and the tools around it.",
        subcommands = {
            RunCommand.class,
            GenerateCommand.class,
            VerifyAggregatesCommand.class,
            ScoreSentimentCommand.class,
            EvaluateSentimentCommand.class,
            BenchmarkSentimentCommand.class,
            BenchmarkCommand.class,
            BenchmarkElasticsearchCommand.class,
            TrainSentimentCommand.class,
            EvaluateSpikesCommand.class,
            ReceiveWebhooksCommand.class,
            SimulateSpikesCommand.class
        })
public final class EcholotCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new EcholotCli());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand");
    }

    /** Reads the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = EcholotCli.class.getPackage().getImplementationVersion();
            return new String[] {"echolot " + (v == null ? "(development build)" : v)};
        }
    }
}
