package io.echolot.rules;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * A compact Aho–Corasick automaton over {@code char}s: built once from a list of patterns, it finds
 * every occurrence of every pattern in one pass over a text. Edges are kept as sorted arrays
 * (binary search), with a dense table for ASCII at the root, where most steps of a scan land.
 * Immutable, thread-safe and {@link Serializable}.
 */
final class AhoCorasick implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Receives the index of a pattern and the (exclusive) end of its occurrence. */
    interface Hits {
        void hit(int pattern, int end);
    }

    private final int[] patternLength;
    // per node: edges in edgeChar/edgeTarget[edgeStart[n] .. edgeStart[n + 1])
    private final int[] edgeStart;
    private final char[] edgeChar;
    private final int[] edgeTarget;
    private final int[] rootAscii = new int[128];
    private final int[] fail;
    // the pattern ending at this node, or -1
    private final int[] output;
    // the nearest node on the fail chain (excluding this one) that ends a pattern, or 0
    private final int[] outputLink;

    AhoCorasick(List<String> patterns) {
        patternLength = new int[patterns.size()];
        List<TreeMap<Character, Integer>> children = new ArrayList<>();
        List<Integer> outputs = new ArrayList<>();
        children.add(new TreeMap<>());
        outputs.add(-1);
        for (int p = 0; p < patterns.size(); p++) {
            String s = patterns.get(p);
            if (s.isEmpty()) {
                throw new IllegalArgumentException("empty pattern #" + p);
            }
            patternLength[p] = s.length();
            int node = 0;
            for (int i = 0; i < s.length(); i++) {
                Integer next = children.get(node).get(s.charAt(i));
                if (next == null) {
                    next = children.size();
                    children.add(new TreeMap<>());
                    outputs.add(-1);
                    children.get(node).put(s.charAt(i), next);
                }
                node = next;
            }
            if (outputs.get(node) >= 0) {
                throw new IllegalArgumentException("duplicate pattern '" + s + "'");
            }
            outputs.set(node, p);
        }

        int nodes = children.size();
        edgeStart = new int[nodes + 1];
        int edges = 0;
        for (int n = 0; n < nodes; n++) {
            edgeStart[n] = edges;
            edges += children.get(n).size();
        }
        edgeStart[nodes] = edges;
        edgeChar = new char[edges];
        edgeTarget = new int[edges];
        for (int n = 0; n < nodes; n++) {
            int e = edgeStart[n];
            for (var entry : children.get(n).entrySet()) {
                edgeChar[e] = entry.getKey();
                edgeTarget[e] = entry.getValue();
                e++;
            }
        }
        output = outputs.stream().mapToInt(Integer::intValue).toArray();
        for (int e = edgeStart[0]; e < edgeStart[1]; e++) {
            if (edgeChar[e] < 128) {
                rootAscii[edgeChar[e]] = edgeTarget[e];
            }
        }

        fail = new int[nodes];
        outputLink = new int[nodes];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int e = edgeStart[0]; e < edgeStart[1]; e++) {
            queue.add(edgeTarget[e]); // depth 1: fail to the root
        }
        while (!queue.isEmpty()) {
            int n = queue.poll();
            for (int e = edgeStart[n]; e < edgeStart[n + 1]; e++) {
                int child = edgeTarget[e];
                char c = edgeChar[e];
                int f = fail[n];
                int target;
                while ((target = edge(f, c)) < 0 && f != 0) {
                    f = fail[f];
                }
                fail[child] = target < 0 ? 0 : target;
                int fc = fail[child];
                outputLink[child] = output[fc] >= 0 ? fc : outputLink[fc];
                queue.add(child);
            }
        }
    }

    int patternLength(int pattern) {
        return patternLength[pattern];
    }

    /** Reports every occurrence of every pattern in {@code text}, in order of their end. */
    void scan(CharSequence text, Hits hits) {
        int state = 0;
        for (int i = 0, len = text.length(); i < len; i++) {
            char c = text.charAt(i);
            int next;
            while ((next = edge(state, c)) < 0 && state != 0) {
                state = fail[state];
            }
            state = next < 0 ? 0 : next;
            if (state == 0) {
                continue;
            }
            int out = output[state] >= 0 ? state : outputLink[state];
            while (out != 0) {
                hits.hit(output[out], i + 1);
                out = outputLink[out];
            }
        }
    }

    /** The child of {@code node} on {@code c}, or -1. */
    private int edge(int node, char c) {
        if (node == 0 && c < 128) {
            int t = rootAscii[c];
            return t == 0 ? -1 : t;
        }
        int lo = edgeStart[node];
        int hi = edgeStart[node + 1] - 1;
        if (hi - lo < 8) {
            for (int e = lo; e <= hi; e++) {
                if (edgeChar[e] == c) {
                    return edgeTarget[e];
                }
            }
            return -1;
        }
        int found = Arrays.binarySearch(edgeChar, lo, hi + 1, c);
        return found >= 0 ? edgeTarget[found] : -1;
    }
}
