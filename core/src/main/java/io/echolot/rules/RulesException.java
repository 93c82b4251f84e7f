package io.echolot.rules;

import java.util.List;

/** A rules file that cannot be used; the message names the file and lists every problem. */
public final class RulesException extends IllegalArgumentException {

    private final String source;
    private final List<String> problems;

    public RulesException(String source, List<String> problems) {
        super(message(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The file or resource the rules came from. */
    public String source() {
        return source;
    }

    /**
     * One line per problem, where and what to fix, e.g. {@code brand 'cardiofit' at
     * brands[0].names: is empty: give at least one name}.
     */
    public List<String> problems() {
        return problems;
    }

    private static String message(String source, List<String> problems) {
        if (problems.size() == 1) {
            return "rules " + source + ": " + problems.get(0);
        }
        StringBuilder b =
                new StringBuilder("rules ")
                        .append(source)
                        .append(": ")
                        .append(problems.size())
                        .append(" problems");
        for (String p : problems) {
            b.append("\n  - ").append(p);
        }
        return b.toString();
    }
}
