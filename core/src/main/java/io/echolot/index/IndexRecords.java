package io.echolot.index;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The wire contract of an index topic record: the key is the document id (so every write of one
 * document lands on one partition, in order), the value the JSON source ({@code null} for a
 * delete), and the headers {@value #HEADER_INDEX}, {@value #HEADER_OP} and, for versioned writes,
 * {@value #HEADER_VERSION}.
 */
public final class IndexRecords {

    /** The Elasticsearch index the document belongs to. */
    public static final String HEADER_INDEX = "echolot.index";

    /** {@link DocumentRequest.Op} name. */
    public static final String HEADER_OP = "echolot.index.op";

    /** External version of an {@code INDEX} write; absent when the write overwrites any version. */
    public static final String HEADER_VERSION = "echolot.index.version";

    private IndexRecords() {}

    /** The record that carries {@code request} to {@code topic}. */
    public static ProducerRecord<byte[], byte[]> toRecord(String topic, DocumentRequest request) {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(
                        topic,
                        null,
                        null,
                        request.id().getBytes(StandardCharsets.UTF_8),
                        request.source());
        Headers headers = record.headers();
        headers.add(HEADER_INDEX, request.index().getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_OP, request.op().name().getBytes(StandardCharsets.UTF_8));
        if (request.version() != DocumentRequest.NO_VERSION) {
            headers.add(
                    HEADER_VERSION,
                    Long.toString(request.version()).getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    /**
     * The request a record carries.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static DocumentRequest fromRecord(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null || record.key().length == 0) {
            throw new IllegalArgumentException("an index record needs the document id as its key");
        }
        String id = new String(record.key(), StandardCharsets.UTF_8);
        String index = header(record, HEADER_INDEX);
        if (index == null || index.isEmpty()) {
            throw new IllegalArgumentException("an index record needs the header " + HEADER_INDEX);
        }
        String opName = header(record, HEADER_OP);
        DocumentRequest.Op op;
        try {
            op = DocumentRequest.Op.valueOf(opName == null ? "" : opName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the header " + HEADER_OP + " must be INDEX, UPSERT or DELETE, got " + opName);
        }
        String version = header(record, HEADER_VERSION);
        byte[] source = record.value();
        return switch (op) {
            case DELETE -> DocumentRequest.delete(index, id);
            case UPSERT -> DocumentRequest.upsert(index, id, required(source, op));
            case INDEX ->
                    version == null
                            ? DocumentRequest.index(index, id, required(source, op))
                            : DocumentRequest.indexVersioned(
                                    index, id, required(source, op), version(version));
        };
    }

    private static byte[] required(byte[] source, DocumentRequest.Op op) {
        if (source == null) {
            throw new IllegalArgumentException("an " + op + " index record needs a JSON value");
        }
        return source;
    }

    private static long version(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "the header " + HEADER_VERSION + " must be a number, got " + text);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null
                ? null
                : new String(h.value(), StandardCharsets.UTF_8);
    }
}
