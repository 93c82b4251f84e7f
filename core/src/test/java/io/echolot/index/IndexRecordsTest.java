package io.echolot.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.echolot.deadletter.DeadLetterRecords;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class IndexRecordsTest {

    private static final byte[] DOC = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void everyKindOfWriteSurvivesTheTripThroughKafkaUnchanged() {
        for (DocumentRequest request :
                List.of(
                        DocumentRequest.index("echolot-mentions-2026.12.06", "m-1", DOC),
                        DocumentRequest.indexVersioned("echolot-alerts-2026.12", "a|1", DOC, 7),
                        DocumentRequest.upsert("echolot-care-2026.12", "c-1", DOC),
                        DocumentRequest.delete("echolot-mentions-2026.12.06", "m-2"))) {
            DocumentRequest back =
                    IndexRecords.fromRecord(consumed(IndexRecords.toRecord("t", request)));
            assertThat(back).isEqualTo(request);
            assertThat(IndexRecord.of(back).request()).isEqualTo(request);
        }
    }

    @Test
    void theDocumentIdIsTheKeySoEveryWriteOfADocumentKeepsItsPartitionAndOrder() {
        ProducerRecord<byte[], byte[]> r =
                IndexRecords.toRecord("t", DocumentRequest.index("i", "doc-42", DOC));
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("doc-42");
        assertThat(r.timestamp()).as("send time, so retention never drops a backlog").isNull();
    }

    @Test
    void recordsWithoutAValidWriteAreRefusedWithTheReason() {
        ProducerRecord<byte[], byte[]> ok =
                IndexRecords.toRecord("t", DocumentRequest.index("i", "d", DOC));
        assertThatThrownBy(() -> IndexRecords.fromRecord(consumed(without(ok, null))))
                .hasMessageContaining("document id");
        assertThatThrownBy(
                        () ->
                                IndexRecords.fromRecord(
                                        consumed(without(ok, IndexRecords.HEADER_INDEX))))
                .hasMessageContaining(IndexRecords.HEADER_INDEX);
        ProducerRecord<byte[], byte[]> badOp = copy(ok);
        badOp.headers().remove(IndexRecords.HEADER_OP);
        badOp.headers().add(IndexRecords.HEADER_OP, "DROP".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> IndexRecords.fromRecord(consumed(badOp)))
                .hasMessageContaining("INDEX, UPSERT or DELETE");
        ProducerRecord<byte[], byte[]> noValue =
                new ProducerRecord<>("t", null, null, ok.key(), null, ok.headers());
        assertThatThrownBy(() -> IndexRecords.fromRecord(consumed(noValue)))
                .hasMessageContaining("needs a JSON value");
        ProducerRecord<byte[], byte[]> badVersion = copy(ok);
        badVersion
                .headers()
                .add(IndexRecords.HEADER_VERSION, "seven".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> IndexRecords.fromRecord(consumed(badVersion)))
                .hasMessageContaining("must be a number");
    }

    @Test
    void theDeserializerTurnsAnUnreadableRecordIntoADeadLetterWithTheOriginalBytes() {
        IndexRequestDeserializer deserializer = new IndexRequestDeserializer();
        List<IndexRecord> out = new ArrayList<>();
        byte[] junk = "not an index record".getBytes(StandardCharsets.UTF_8);
        deserializer.deserialize(
                new ConsumerRecord<>("echolot.index.mentions", 3, 99L, null, junk), collector(out));
        deserializer.deserialize(
                consumed(IndexRecords.toRecord("t", DocumentRequest.index("i", "d", DOC))),
                collector(out));
        assertThat(out).hasSize(2);
        assertThat(out.get(0).isRequest()).isFalse();
        assertThat(out.get(0).deadLetter().stage()).isEqualTo(IndexRequestDeserializer.STAGE);
        assertThat(out.get(0).deadLetter().reason()).contains("document id");
        assertThat(out.get(0).deadLetter().source().value()).isEqualTo(junk);
        assertThat(out.get(0).deadLetter().source().offset()).isEqualTo(99L);
        assertThat(out.get(1).request()).isEqualTo(DocumentRequest.index("i", "d", DOC));
    }

    @Test
    void theSerializerDeadLettersWhatItCannotConvertOrWhatIsTooLargeAndWritesTheRest() {
        DocumentConverter<String> converter =
                s -> {
                    if (s.equals("boom")) {
                        throw new IllegalStateException("cannot convert");
                    }
                    return DocumentRequest.index(
                            "idx",
                            "id-" + s.length(),
                            ("\"" + s + "\"").getBytes(StandardCharsets.UTF_8));
                };
        IndexRequestSerializer<String> serializer =
                new IndexRequestSerializer<>(converter, "index-topic", "dlq", 2048);

        ProducerRecord<byte[], byte[]> fine = serializer.serialize("small", null, null);
        assertThat(fine.topic()).isEqualTo("index-topic");
        assertThat(IndexRecords.fromRecord(consumed(fine)).index()).isEqualTo("idx");

        ProducerRecord<byte[], byte[]> failed = serializer.serialize("boom", null, null);
        assertThat(failed.topic()).isEqualTo("dlq");
        assertThat(header(failed, DeadLetterRecords.HEADER_STAGE))
                .isEqualTo(IndexRequestSerializer.STAGE);
        assertThat(header(failed, DeadLetterRecords.HEADER_REASON)).contains("cannot convert");
        assertThat(new String(failed.value(), StandardCharsets.UTF_8)).isEqualTo("boom");

        ProducerRecord<byte[], byte[]> large = serializer.serialize("x".repeat(5000), null, null);
        assertThat(large.topic()).isEqualTo("dlq");
        assertThat(header(large, DeadLetterRecords.HEADER_REASON))
                .contains("larger than an index record may be (2048 bytes)");
        assertThat(new String(large.key(), StandardCharsets.UTF_8)).isEqualTo("id-5000");
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static ProducerRecord<byte[], byte[]> copy(ProducerRecord<byte[], byte[]> r) {
        return new ProducerRecord<>(
                r.topic(),
                null,
                null,
                r.key(),
                r.value(),
                new RecordHeaders(r.headers().toArray()));
    }

    /** {@code r} without its key (when {@code header} is null) or without that header. */
    private static ProducerRecord<byte[], byte[]> without(
            ProducerRecord<byte[], byte[]> r, String header) {
        ProducerRecord<byte[], byte[]> c = copy(r);
        if (header == null) {
            return new ProducerRecord<>(c.topic(), null, null, null, c.value(), c.headers());
        }
        c.headers().remove(header);
        return c;
    }

    private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> r) {
        return new ConsumerRecord<>(
                r.topic(),
                0,
                0L,
                0L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                r.key(),
                r.value(),
                new RecordHeaders(r.headers().toArray()),
                Optional.empty());
    }

    private static <T> Collector<T> collector(List<T> out) {
        return new Collector<>() {
            @Override
            public void collect(T record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
    }
}
