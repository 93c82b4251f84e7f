package io.echolot.sentiment;

/** Text helpers shared by the lexicon and the tokenizer. */
final class Text {

    private Text() {}

    /**
     * Lower case (root locale) with German umlauts and ß transliterated: {@code Enttäuschung} and
     * {@code enttaeuschung} fold to the same key.
     */
    static String fold(CharSequence s) {
        StringBuilder b = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            appendFolded(b, s.charAt(i));
        }
        return b.toString();
    }

    static void appendFolded(StringBuilder b, char c) {
        switch (c) {
            case 'ä', 'Ä' -> b.append("ae");
            case 'ö', 'Ö' -> b.append("oe");
            case 'ü', 'Ü' -> b.append("ue");
            case 'ß', 'ẞ' -> b.append("ss");
            case '’', '‘', '`', '´' -> b.append('\'');
            default -> b.append(Character.toLowerCase(c));
        }
    }
}
