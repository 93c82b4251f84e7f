package io.echolot.tools;

import io.echolot.sink.webhook.SecretRef;
import io.echolot.sink.webhook.WebhookSignature;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code receive-webhooks}: a webhook receiver on loopback for the local stack and for measuring
 * the delivery latency. Verifies the signature with the secret from an environment variable or a
 * file, rejects stale timestamps, logs every request as one JSON line ({@link WebhookReceiver}).
 */
@Command(
        name = "receive-webhooks",
        mixinStandardHelpOptions = true,
        description =
                "Receives echolot webhooks on loopback, verifies their signature and logs one JSON"
                        + " line per request.")
final class ReceiveWebhooksCommand implements Callable<Integer> {

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", defaultValue = "8099", description = "Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--secret-env",
            defaultValue = "ECHOLOT_WEBHOOK_SECRET",
            description =
                    "Environment variable with the signing secret (used when no --secret-file)."
                            + " Default: ${DEFAULT-VALUE}.")
    String secretEnv;

    @Option(names = "--secret-file", description = "File with the signing secret.")
    Path secretFile;

    @Option(
            names = "--tolerance",
            defaultValue = "5 min",
            converter = DurationConverter.class,
            description = "Oldest accepted X-Echolot-Timestamp. Default: ${DEFAULT-VALUE}.")
    Duration tolerance;

    @Option(
            names = "--output",
            description = "Append the JSON lines to this file (default: stdout).")
    Path output;

    @Override
    public Integer call() throws Exception {
        SecretRef ref =
                secretFile != null
                        ? SecretRef.ofFile(secretFile.toString())
                        : SecretRef.ofEnv(secretEnv);
        String secret;
        try {
            secret = ref.resolve(System.getenv());
        } catch (IllegalStateException e) {
            System.err.println("receive-webhooks needs the signing secret: " + e.getMessage());
            return 2;
        }
        PrintStream out =
                output == null
                        ? System.out
                        : new PrintStream(
                                new FileOutputStream(output.toFile(), true),
                                true,
                                StandardCharsets.UTF_8);
        CountDownLatch stop = new CountDownLatch(1);
        try (WebhookReceiver receiver =
                new WebhookReceiver(
                        host,
                        port,
                        secret,
                        tolerance.isZero() ? WebhookSignature.DEFAULT_TOLERANCE : tolerance,
                        out,
                        Clock.systemUTC())) {
            System.err.println(
                    "receiving webhooks on http://"
                            + host
                            + ":"
                            + receiver.port()
                            + "/ (secret from "
                            + ref
                            + ")");
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
        return 0;
    }
}
