package io.echolot.sink.elasticsearch;

import io.echolot.index.DocumentRequest;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;

/**
 * Writes the sink's buffered {@link DocumentRequest}s into checkpoints in a fixed, hand-written
 * layout, so a savepoint survives changes to the class and to the Elasticsearch client.
 *
 * <p>Entry layout (version 2): format byte, op ordinal byte, index and id as length-prefixed UTF-8,
 * attempt as int, external version as long ({@code -1} for none), source length as int ({@code -1}
 * for none) followed by the bytes. Version 1 is the same without the external version.
 */
public final class DocumentRequestSerializer
        extends AsyncSinkWriterStateSerializer<DocumentRequest> {

    /** Bump together with a new branch in {@link #deserializeRequestFromStream}. */
    static final int VERSION = 2;

    /** Version 1 entries have no external version; they are read as unversioned requests. */
    static final int OLDEST_READABLE = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public BufferedRequestState<DocumentRequest> deserialize(int version, byte[] serialized)
            throws IOException {
        checkVersion(version);
        return super.deserialize(version, serialized);
    }

    @Override
    protected void serializeRequestToStream(DocumentRequest request, DataOutputStream out)
            throws IOException {
        // the base class frames entries without a version of its own, so each entry carries one
        out.writeByte(VERSION);
        out.writeByte(request.op().ordinal());
        writeString(out, request.index());
        writeString(out, request.id());
        out.writeInt(request.attempt());
        out.writeLong(request.version());
        byte[] source = request.sourceBytes();
        if (source == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(source.length);
            out.write(source);
        }
    }

    @Override
    protected DocumentRequest deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        int format = in.readUnsignedByte();
        checkVersion(format);
        int opOrdinal = in.readUnsignedByte();
        DocumentRequest.Op[] ops = DocumentRequest.Op.values();
        if (opOrdinal >= ops.length) {
            throw new IOException("unknown DocumentRequest op " + opOrdinal + " in sink state");
        }
        String index = readString(in);
        String id = readString(in);
        int attempt = in.readInt();
        long version = format >= 2 ? in.readLong() : DocumentRequest.NO_VERSION;
        int sourceLength = in.readInt();
        byte[] source = null;
        if (sourceLength >= 0) {
            source = new byte[sourceLength];
            in.readFully(source);
        }
        return DocumentRequest.of(index, id, ops[opOrdinal], source, attempt, version);
    }

    private static void checkVersion(int version) throws IOException {
        if (version < OLDEST_READABLE || version > VERSION) {
            throw new IOException(
                    "cannot read Elasticsearch sink state of format version "
                            + version
                            + ": this build reads versions "
                            + OLDEST_READABLE
                            + " to "
                            + VERSION
                            + " (was the savepoint taken by a newer echolot?)");
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("corrupt Elasticsearch sink state: negative string length");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
