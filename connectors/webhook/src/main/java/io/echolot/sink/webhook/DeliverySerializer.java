package io.echolot.sink.webhook;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Writes pending {@link Delivery}s into checkpoints in a fixed, hand-written layout (version 2):
 * endpoint, alert id (UTF), version, emitted-at, attempts, body and alert JSON (length-prefixed),
 * first-attempt time. Version 1 (without the first-attempt time) is still read: its retry clock
 * counts from the emitted-at time when it was sent before, which is at most a little earlier.
 */
public final class DeliverySerializer implements SimpleVersionedSerializer<Delivery> {

    static final int VERSION = 2;

    static final int VERSION_WITHOUT_FIRST_ATTEMPT = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(Delivery d) throws IOException {
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(d.body().length + d.alertJson().length + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(d.endpoint());
            out.writeUTF(d.alertId());
            out.writeInt(d.version());
            out.writeLong(d.emittedAtMillis());
            out.writeInt(d.attempts());
            out.writeInt(d.body().length);
            out.write(d.body());
            out.writeInt(d.alertJson().length);
            out.write(d.alertJson());
            out.writeLong(d.firstAttemptMillis());
        }
        return bytes.toByteArray();
    }

    @Override
    public Delivery deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION && version != VERSION_WITHOUT_FIRST_ATTEMPT) {
            throw new IOException(
                    "cannot read webhook sink state of format version "
                            + version
                            + ": this build reads versions "
                            + VERSION_WITHOUT_FIRST_ATTEMPT
                            + " and "
                            + VERSION
                            + " (was the savepoint taken by a newer echolot?)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            String endpoint = in.readUTF();
            String alertId = in.readUTF();
            int alertVersion = in.readInt();
            long emittedAt = in.readLong();
            int attempts = in.readInt();
            byte[] body = bytes(in);
            byte[] alertJson = bytes(in);
            long firstAttempt;
            if (version == VERSION) {
                firstAttempt = in.readLong();
            } else {
                firstAttempt = attempts > 0 ? emittedAt : 0L;
            }
            return new Delivery(
                    endpoint,
                    alertId,
                    alertVersion,
                    emittedAt,
                    attempts,
                    body,
                    alertJson,
                    firstAttempt);
        }
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("corrupt webhook sink state: negative length");
        }
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }
}
