package io.echolot.tools;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.Callback;

/**
 * When each generated mention became readable in Kafka: one line per acknowledged record, {@code
 * partition<TAB>event time ms<TAB>sent ms<TAB>acknowledged ms<TAB>kind} (sent: when the generator
 * handed it to the producer, so before the producer's linger; acknowledged: after the broker
 * appended it). From it the local stack finds the moment event time passed a point on every
 * partition (the source's watermark is the lowest of its partitions'), and so times alerts from the
 * watermark rather than from the window end.
 */
final class SentLog implements AutoCloseable {

    private final BufferedWriter out;

    SentLog(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /**
     * The callback for one record, called just before it is sent, or null for a record that cannot
     * move event time on (a malformed one carries no time the job reads).
     */
    Callback sending(Timeline.Emission e) {
        if (e.kind() == Timeline.Kind.MALFORMED || e.mention() == null) {
            return null;
        }
        long eventMillis = e.mention().eventTimeMillis();
        long sentMillis = System.currentTimeMillis();
        String kind = e.kind().name();
        return (metadata, failure) -> {
            if (failure == null) {
                write(
                        metadata.partition()
                                + "\t"
                                + eventMillis
                                + "\t"
                                + sentMillis
                                + "\t"
                                + System.currentTimeMillis()
                                + "\t"
                                + kind
                                + "\n");
            }
        };
    }

    // callbacks run on the producer's I/O thread, close on the generator's
    private synchronized void write(String line) {
        try {
            out.write(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
