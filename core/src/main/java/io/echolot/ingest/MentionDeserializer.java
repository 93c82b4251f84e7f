package io.echolot.ingest;

import io.echolot.deadletter.DeadLetter;
import io.echolot.deadletter.RawRecord;
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
 * Whatever parsing throws for one record makes it a dead letter too: an exception here would fail
 * the source and, on restart, meet the same record again. Metrics: {@code mentionsParsed}, {@code
 * mentionsDeadLettered}.
 */
public final class MentionDeserializer implements KafkaRecordDeserializationSchema<ParsedRecord> {

    private static final long serialVersionUID = 1L;

    private final int maxBytes;
    private final Duration maxFuture;
    private final Clock clock;
    private final FanOutLimits limits;

    private transient MentionParser parser;
    private transient Counter parsed;
    private transient Counter deadLettered;

    /**
     * @param maxBytes larger records are refused unread
     * @param maxFuture how far created_at may lie ahead of the clock
     * @param clock a serializable clock ({@code Clock.systemUTC()} in production)
     * @param limits events with more brands or topics of their own are dead letters
     */
    public MentionDeserializer(int maxBytes, Duration maxFuture, Clock clock, FanOutLimits limits) {
        this.maxBytes = maxBytes;
        this.maxFuture = maxFuture;
        this.clock = clock;
        this.limits = limits;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        parser = new MentionParser(maxBytes, maxFuture, clock, limits);
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
        ParsedRecord result;
        try {
            result = ParsedRecord.of(raw, parser);
        } catch (RuntimeException | StackOverflowError e) {
            result =
                    new ParsedRecord(
                            null,
                            new DeadLetter(
                                    raw,
                                    DeadLetter.STAGE_PARSE,
                                    "the parser failed: " + e.getClass().getSimpleName()));
        }
        (result.mention() != null ? parsed : deadLettered).inc();
        out.collect(result);
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
