package io.echolot.sink.elasticsearch;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Keeps dead letters in a static list per test key, so a test can read what the writers in its
 * MiniCluster job rejected. Test-only: real handlers must make dead letters durable.
 */
public final class RecordingDeadLetterHandler implements DeadLetterHandler {

    private static final long serialVersionUID = 1L;
    private static final Map<String, Queue<DeadLetter>> RECORDED = new ConcurrentHashMap<>();

    /** One rejected document and the reason given. */
    public record DeadLetter(DocumentRequest request, String reason) {}

    private final String key;

    public RecordingDeadLetterHandler(String key) {
        this.key = key;
    }

    public static List<DeadLetter> recorded(String key) {
        return List.copyOf(RECORDED.getOrDefault(key, new ConcurrentLinkedQueue<>()));
    }

    @Override
    public void accept(DocumentRequest request, String reason) {
        RECORDED.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>())
                .add(new DeadLetter(request, reason));
    }
}
