package io.echolot.sink.elasticsearch;

import io.echolot.index.DocumentRequest;
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
    private static final Map<String, Queue<ElementDeadLetter>> ELEMENTS = new ConcurrentHashMap<>();

    /** One rejected document and the reason given. */
    public record DeadLetter(DocumentRequest request, String reason) {}

    /** One element the converter failed on and the reason given. */
    public record ElementDeadLetter(Object element, String reason) {}

    private final String key;

    public RecordingDeadLetterHandler(String key) {
        this.key = key;
    }

    public static List<DeadLetter> recorded(String key) {
        return List.copyOf(RECORDED.getOrDefault(key, new ConcurrentLinkedQueue<>()));
    }

    public static List<ElementDeadLetter> recordedElements(String key) {
        return List.copyOf(ELEMENTS.getOrDefault(key, new ConcurrentLinkedQueue<>()));
    }

    @Override
    public void acceptElement(Object element, String reason) {
        ELEMENTS.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>())
                .add(new ElementDeadLetter(element, reason));
    }

    @Override
    public void accept(DocumentRequest request, String reason) {
        RECORDED.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>())
                .add(new DeadLetter(request, reason));
    }
}
