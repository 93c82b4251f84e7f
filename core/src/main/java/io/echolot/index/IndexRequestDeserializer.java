package io.echolot.index;

import io.echolot.deadletter.DeadLetter;
import io.echolot.deadletter.RawRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads index topic records in the indexing job's source and never fails on one: a record that
 * carries no valid document write (written by something other than the analytics job, or damaged)
 * becomes a dead letter with the original bytes (stage {@value #STAGE}). Metric: {@code
 * indexRecordsRefused}.
 */
public final class IndexRequestDeserializer
        implements KafkaRecordDeserializationSchema<IndexRecord> {

    private static final long serialVersionUID = 1L;

    /** Dead-letter stage of index records the indexing job cannot read. */
    public static final String STAGE = "index-read";

    private transient Counter refused;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        refused = context.getMetricGroup().counter("indexRecordsRefused");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IndexRecord> out) {
        IndexRecord result;
        try {
            result = IndexRecord.of(IndexRecords.fromRecord(record));
        } catch (RuntimeException e) {
            if (refused != null) {
                refused.inc();
            }
            result =
                    IndexRecord.deadLetter(
                            new DeadLetter(
                                    new RawRecord(
                                            record.topic(),
                                            record.partition(),
                                            record.offset(),
                                            record.timestamp(),
                                            record.key(),
                                            record.value()),
                                    STAGE,
                                    e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        out.collect(result);
    }

    @Override
    public TypeInformation<IndexRecord> getProducedType() {
        return TypeInformation.of(IndexRecord.class);
    }
}
