package io.echolot.kafka;

import io.echolot.serde.MentionParser;
import io.echolot.serde.ParsedRecord;
import java.time.Clock;
import java.time.Duration;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads mention events in the Kafka source and never fails on bad input: every record becomes a
 * {@link ParsedRecord}, a mention or a dead letter with the reason and the original bytes. Parsing
 * here (not in a later operator) lets the source generate watermarks per partition from {@code
 * created_at}, so a backlog read at uneven speed across partitions does not turn into late data.
 * Metrics: {@code mentionsParsed}, {@code mentionsDeadLettered}.
 */
public final class MentionDeserializer implements KafkaRecordDeserializationSchema<ParsedRecord> {

    private static final long serialVersionUID = 1L;

    private final int maxBytes;
    private final Duration maxFuture;
    private final Clock clock;

    private transient MentionParser parser;
    private transient Counter parsed;
    private transient Counter deadLettered;

    /**
     * @param maxBytes larger records are refused unread
     * @param maxFuture how far created_at may lie ahead of the clock
     * @param clock a serializable clock ({@code Clock.systemUTC()} in production)
     */
    public MentionDeserializer(int maxBytes, Duration maxFuture, Clock clock) {
        this.maxBytes = maxBytes;
        this.maxFuture = maxFuture;
        this.clock = clock;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        parser = new MentionParser(maxBytes, maxFuture, clock);
        parsed = context.getMetricGroup().counter("mentionsParsed");
        deadLettered = context.getMetricGroup().counter("mentionsDeadLettered");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
        RawRecord raw =
                new RawRecord(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        record.key(),
                        record.value());
        ParsedRecord result = ParsedRecord.of(raw, parser);
        (result.mention() != null ? parsed : deadLettered).inc();
        out.collect(result);
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
