package io.echolot.sentiment;

/** One token of a text: a word, an emoji or emoticon, or a clause or sentence end. */
final class Token {
    static final byte WORD = 0;
    static final byte EMOJI = 1;
    static final byte CLAUSE_END = 2;
    static final byte SENTENCE_END = 3;

    final byte kind;

    /** Folded form; for elongated words with runs of three or more letters cut to two. */
    final String norm;

    /** For elongated words: runs cut to one letter ("guuut" → "gut"); else null. */
    final String alt;

    final boolean caps;
    final boolean elongated;
    final int exclamations;
    final int questions;

    private Token(
            byte kind,
            String norm,
            String alt,
            boolean caps,
            boolean elongated,
            int exclamations,
            int questions) {
        this.kind = kind;
        this.norm = norm;
        this.alt = alt;
        this.caps = caps;
        this.elongated = elongated;
        this.exclamations = exclamations;
        this.questions = questions;
    }

    static Token word(String norm, String alt, boolean caps, boolean elongated) {
        return new Token(WORD, norm, alt, caps, elongated, 0, 0);
    }

    static Token emoji(String symbol) {
        return new Token(EMOJI, symbol, null, false, false, 0, 0);
    }

    static Token clauseEnd() {
        return new Token(CLAUSE_END, ",", null, false, false, 0, 0);
    }

    static Token sentenceEnd(int exclamations, int questions) {
        return new Token(SENTENCE_END, ".", null, false, false, exclamations, questions);
    }

    boolean isBreak() {
        return kind == CLAUSE_END || kind == SENTENCE_END;
    }

    @Override
    public String toString() {
        return norm;
    }
}
