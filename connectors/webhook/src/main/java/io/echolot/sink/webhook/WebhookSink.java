package io.echolot.sink.webhook;

import io.echolot.alert.Alert;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.InstantiationUtil;

/**
 * Delivers every alert state change (opened, updated, resolved) to the webhook endpoints whose
 * filters it passes: signed, retried with backoff, dead-lettered to Kafka when it cannot be
 * delivered, at least once across restarts (unacknowledged deliveries are part of the writer's
 * checkpointed state; receivers deduplicate by the {@code Idempotency-Key} header). See {@link
 * WebhookSinkWriter} for the request headers and how endpoints are kept apart.
 *
 * <pre>{@code
 * alerts.sinkTo(new WebhookSink(WebhookConfig.load(file, System.getenv()),
 *                               new WebhookDeadLetters(brokers, "echolot.webhooks.dlq")))
 *       .uid("webhook-sink").name("webhooks");
 * }</pre>
 */
public final class WebhookSink implements Sink<Alert>, SupportsWriterState<Alert, Delivery> {

    private static final long serialVersionUID = 1L;

    private final WebhookConfig config;
    private final WebhookDeadLetters deadLetters;

    public WebhookSink(WebhookConfig config, WebhookDeadLetters deadLetters) {
        if (config.endpoints().isEmpty()) {
            throw new IllegalArgumentException("the webhook sink needs at least one endpoint");
        }
        this.config = config;
        this.deadLetters = deadLetters;
    }

    @Override
    public StatefulSinkWriter<Alert, Delivery> createWriter(WriterInitContext context)
            throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<Alert, Delivery> restoreWriter(
            WriterInitContext context, Collection<Delivery> recoveredState) throws IOException {
        WebhookDeadLetters own;
        try {
            // writers in one JVM must not share a producer
            own =
                    InstantiationUtil.clone(
                            deadLetters, context.getUserCodeClassLoader().asClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IOException("could not copy " + deadLetters, e);
        }
        return new WebhookSinkWriter(config, own, context, recoveredState, System.getenv());
    }

    @Override
    public SimpleVersionedSerializer<Delivery> getWriterStateSerializer() {
        return new DeliverySerializer();
    }
}
