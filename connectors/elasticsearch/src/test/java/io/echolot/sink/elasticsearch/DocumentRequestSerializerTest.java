package io.echolot.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.echolot.index.DocumentRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DocumentRequestSerializerTest {

    private final DocumentRequestSerializer serializer = new DocumentRequestSerializer();

    @Test
    void roundTripsEveryOpIncludingDeleteWithoutSourceAndNonAsciiIds() throws IOException {
        List<DocumentRequest> requests =
                List.of(
                        DocumentRequest.index("mentions-2026", "m-1", json("{\"text\":\"héllo\"}")),
                        DocumentRequest.upsert(
                                        "stats", "brand|2026-01-01T00:00Z", json("{\"n\":3}"))
                                .nextAttempt()
                                .nextAttempt(),
                        DocumentRequest.delete("mentions-2026", "ünïcødé-🦊-ид-标识"),
                        DocumentRequest.index("empty", "e", new byte[0]),
                        DocumentRequest.indexVersioned("alerts", "a-1", json("{}"), 7)
                                .nextAttempt());

        BufferedRequestState<DocumentRequest> restored =
                serializer.deserialize(
                        serializer.getVersion(), serializer.serialize(state(requests)));

        List<DocumentRequest> entries =
                restored.getBufferedRequestEntries().stream()
                        .map(RequestEntryWrapper::getRequestEntry)
                        .collect(Collectors.toList());
        assertThat(entries).containsExactlyElementsOf(requests);
        assertThat(entries.get(1).attempt()).isEqualTo(2);
        assertThat(entries.get(2).source()).isNull();
        assertThat(entries.get(2).id()).isEqualTo("ünïcødé-🦊-ид-标识");
        assertThat(entries.get(4).version()).isEqualTo(7);
        assertThat(entries.get(0).version()).isEqualTo(DocumentRequest.NO_VERSION);
        assertThat(restored.getBufferedRequestEntries().get(0).getSize())
                .isEqualTo(requests.get(0).sizeInBytes());
    }

    @Test
    void refusesStateOfAnUnknownVersion() throws IOException {
        byte[] bytes = serializer.serialize(state(List.of(DocumentRequest.delete("i", "1"))));

        assertThatThrownBy(
                        () -> serializer.deserialize(DocumentRequestSerializer.VERSION + 1, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("format version 3")
                .hasMessageContaining("reads versions 1 to 2");
    }

    @Test
    void readsStateOfFormatVersionOneAsUnversionedRequests() throws IOException {
        // a version-1 entry as the previous release wrote it: no external version field
        java.io.ByteArrayOutputStream entry = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(entry);
        out.writeByte(1);
        out.writeByte(DocumentRequest.Op.INDEX.ordinal());
        byte[] index = "alerts".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(index.length);
        out.write(index);
        byte[] id = "a-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(id.length);
        out.write(id);
        out.writeInt(2);
        byte[] source = json("{\"x\":1}");
        out.writeInt(source.length);
        out.write(source);
        byte[] v2 =
                serializer.serialize(
                        state(List.of(DocumentRequest.index("alerts", "a-1", source))));
        // same framing as version 2 (identifier, count, entry size), with the old entry inside
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream w = new java.io.DataOutputStream(whole);
        w.write(v2, 0, 12);
        w.writeLong(DocumentRequest.index("alerts", "a-1", source).sizeInBytes());
        w.write(entry.toByteArray());

        BufferedRequestState<DocumentRequest> restored =
                serializer.deserialize(1, whole.toByteArray());

        DocumentRequest r = restored.getBufferedRequestEntries().get(0).getRequestEntry();
        assertThat(r.id()).isEqualTo("a-1");
        assertThat(r.attempt()).isEqualTo(2);
        assertThat(r.version()).isEqualTo(DocumentRequest.NO_VERSION);
        assertThat(r.source()).isEqualTo(source);
    }

    @Test
    void refusesEntriesWrittenInAnUnknownEntryFormat() throws IOException {
        byte[] good = serializer.serialize(state(List.of(DocumentRequest.delete("i", "1"))));
        byte[] bad = good.clone();
        // header: long identifier (8) + int count (4) + long entry size (8), then our format byte
        bad[20] = 9;

        assertThatThrownBy(() -> serializer.deserialize(DocumentRequestSerializer.VERSION, bad))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("format version 9");
    }

    private static BufferedRequestState<DocumentRequest> state(List<DocumentRequest> requests) {
        ArrayDeque<RequestEntryWrapper<DocumentRequest>> deque = new ArrayDeque<>();
        for (DocumentRequest request : requests) {
            deque.add(new RequestEntryWrapper<>(request, request.sizeInBytes()));
        }
        return new BufferedRequestState<>(deque);
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
