package io.echolot.sentiment;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The function words the rules act on, folded (ä→ae, ö→oe, ü→ue, ß→ss, lower case). */
final class RuleWords {

    private RuleWords() {}

    static final Set<String> GERMAN_NEGATORS =
            Set.of(
                    "nicht",
                    "nich",
                    "net",
                    "ned",
                    "nie",
                    "niemals",
                    "nimmer",
                    "kein",
                    "keine",
                    "keinen",
                    "keinem",
                    "keiner",
                    "keines",
                    "keins",
                    "nix",
                    "nichts",
                    "ohne",
                    "weder",
                    "niemand",
                    "nirgends",
                    "nirgendwo");

    static final Set<String> ENGLISH_NEGATORS =
            Set.of(
                    "not",
                    "no",
                    "never",
                    "nor",
                    "neither",
                    "without",
                    "nobody",
                    "nothing",
                    "none",
                    "nowhere",
                    "cannot",
                    "cant",
                    "dont",
                    "doesnt",
                    "didnt",
                    "isnt",
                    "arent",
                    "wasnt",
                    "werent",
                    "wont",
                    "wouldnt",
                    "shouldnt",
                    "couldnt",
                    "havent",
                    "hasnt",
                    "hadnt",
                    "aint",
                    "aren't",
                    "ain't",
                    "nope",
                    "nah");

    /** "nicht nur …, sondern auch", "not only … but also": no negation. */
    static final Set<String> GERMAN_NEGATION_CANCELLERS = Set.of("nur", "zuletzt", "umsonst");

    static final Set<String> ENGLISH_NEGATION_CANCELLERS = Set.of("only", "just");

    static final Set<String> GERMAN_CONTRAST =
            Set.of("aber", "jedoch", "allerdings", "trotzdem", "dennoch", "sondern");

    static final Set<String> ENGLISH_CONTRAST =
            Set.of("but", "however", "yet", "nevertheless", "nonetheless", "though");

    static final Map<String, Float> GERMAN_BOOSTERS =
            boosters(
                    new String[] {
                        "sehr",
                        "total",
                        "mega",
                        "extrem",
                        "extremst",
                        "absolut",
                        "voll",
                        "echt",
                        "wirklich",
                        "richtig",
                        "ziemlich",
                        "so",
                        "sooo",
                        "dermassen",
                        "derart",
                        "besonders",
                        "unglaublich",
                        "unfassbar",
                        "unheimlich",
                        "ungemein",
                        "ausserst",
                        "aeusserst",
                        "hoechst",
                        "zu",
                        "viel",
                        "vollkommen",
                        "vollig",
                        "voellig",
                        "komplett",
                        "ganz",
                        "gaenzlich",
                        "enorm",
                        "ultra",
                        "hyper",
                        "krass",
                        "tierisch",
                        "sau",
                        "verdammt",
                        "verflucht",
                        "mords",
                        "wahnsinnig",
                        "irre",
                        "endlos",
                        "immer",
                        "schon",
                        "bloss",
                        "einfach",
                        "hochgradig",
                        "massiv",
                        "stark",
                        "zutiefst",
                        "uebelst",
                        "derbe",
                        "soo",
                        "sowas",
                        "solch",
                        "solche",
                        "solchen",
                        "dermaßen",
                        "noch",
                        "am",
                        "meistens"
                    },
                    new String[] {
                        "kaum",
                        "etwas",
                        "bisschen",
                        "bissle",
                        "bissel",
                        "wenig",
                        "leicht",
                        "eher",
                        "einigermassen",
                        "halbwegs",
                        "relativ",
                        "teilweise",
                        "teils",
                        "fast",
                        "beinahe",
                        "ansatzweise",
                        "weitgehend",
                        "recht",
                        "eigentlich",
                        "vielleicht",
                        "wohl",
                        "irgendwie",
                        "minimal",
                        "geringfuegig",
                        "mässig",
                        "maessig"
                    });

    static final Map<String, Float> ENGLISH_BOOSTERS =
            boosters(
                    new String[] {
                        "very",
                        "so",
                        "really",
                        "extremely",
                        "absolutely",
                        "totally",
                        "completely",
                        "utterly",
                        "incredibly",
                        "pretty",
                        "too",
                        "most",
                        "such",
                        "highly",
                        "deeply",
                        "hugely",
                        "immensely",
                        "insanely",
                        "seriously",
                        "truly",
                        "entirely",
                        "fully",
                        "thoroughly",
                        "awfully",
                        "terribly",
                        "damn",
                        "damned",
                        "freaking",
                        "fucking",
                        "frickin",
                        "friggin",
                        "effing",
                        "bloody",
                        "hella",
                        "mega",
                        "ultra",
                        "majorly",
                        "remarkably",
                        "exceptionally",
                        "especially",
                        "particularly",
                        "unbelievably",
                        "amazingly",
                        "more",
                        "much",
                        "way",
                        "real",
                        "purely",
                        "quite",
                        "sooo",
                        "soo",
                        "tremendously",
                        "enormously",
                        "excessively",
                        "extraordinarily",
                        "wildly",
                        "overly",
                        "def",
                        "definitely",
                        "certainly"
                    },
                    new String[] {
                        "slightly",
                        "somewhat",
                        "barely",
                        "hardly",
                        "scarcely",
                        "kinda",
                        "kindof",
                        "sorta",
                        "sortof",
                        "bit",
                        "little",
                        "less",
                        "marginally",
                        "partly",
                        "occasionally",
                        "fairly",
                        "rather",
                        "almost",
                        "nearly",
                        "mildly",
                        "moderately",
                        "relatively",
                        "reasonably",
                        "maybe",
                        "perhaps",
                        "somehow",
                        "least"
                    });

    /** Frequent German words that are not English words (for guessing the language). */
    static final Set<String> GERMAN_FUNCTION_WORDS =
            Set.of(
                    "der", "die", "das", "und", "ist", "nicht", "ich", "du", "wir", "ihr", "sie",
                    "es", "ein", "eine", "einen", "einem", "einer", "mit", "auf", "fuer", "von",
                    "zu", "den", "dem", "des", "im", "sind", "war", "auch", "noch", "schon", "wie",
                    "aber", "oder", "wenn", "dass", "mal", "nur", "heute", "mir", "mich", "dir",
                    "bei", "kein", "keine", "sehr", "wird", "werden", "hat", "haben", "bin", "bist",
                    "nach", "aus", "ueber", "jetzt", "hier", "wer", "warum", "immer", "doch",
                    "gibt", "geht", "kann", "muss", "vom", "zum", "zur", "sich", "unsere", "euch");

    static final Set<String> ENGLISH_FUNCTION_WORDS =
            Set.of(
                    "the",
                    "and",
                    "is",
                    "are",
                    "were",
                    "to",
                    "of",
                    "for",
                    "with",
                    "you",
                    "it",
                    "this",
                    "that",
                    "i",
                    "my",
                    "not",
                    "but",
                    "be",
                    "have",
                    "has",
                    "just",
                    "at",
                    "me",
                    "your",
                    "we",
                    "they",
                    "what",
                    "he",
                    "she",
                    "can",
                    "from",
                    "on",
                    "about",
                    "all",
                    "if",
                    "would",
                    "there",
                    "their",
                    "our",
                    "been",
                    "its",
                    "it's",
                    "i'm",
                    "don't",
                    "get",
                    "going",
                    "tomorrow",
                    "today",
                    "when",
                    "who",
                    "why",
                    "how",
                    "or",
                    "by",
                    "do",
                    "like",
                    "out",
                    "up",
                    "one",
                    "new");

    /** Words that open a letter or post as a salutation ("Liebe Frau Will", "Dear Sir"). */
    static final Set<String> SALUTATIONS =
            Set.of("liebe", "lieber", "liebes", "liebste", "liebster", "dear", "dearest");

    /** Comparatives that a modal negation does not flip: "couldn't be better". */
    static final Set<String> COMPARATIVES =
            Set.of(
                    "better",
                    "happier",
                    "prouder",
                    "greater",
                    "nicer",
                    "besser",
                    "schoener",
                    "gluecklicher",
                    "toller",
                    "stolzer");

    static final Set<String> MODALS =
            Set.of("could", "can", "koennte", "koennten", "kann", "koennen", "haette", "waere");

    /** Words after which "like" is the verb ("I like", "we really like", "would like"). */
    static final Set<String> LIKE_SUBJECTS =
            Set.of(
                    "i",
                    "we",
                    "you",
                    "they",
                    "u",
                    "ya",
                    "really",
                    "totally",
                    "also",
                    "just",
                    "do",
                    "would",
                    "'d",
                    "i'd",
                    "we'd",
                    "you'd",
                    "they'd",
                    "to",
                    "still",
                    "def",
                    "definitely",
                    "truly",
                    "kinda",
                    "don't",
                    "dont",
                    "didn't",
                    "didnt",
                    "doesn't",
                    "doesnt",
                    "not",
                    "never",
                    "people",
                    "everyone",
                    "who",
                    "she",
                    "he",
                    "all");

    /**
     * English lexicon words that are (also) German words of other meaning; in German text they are
     * not looked up in the English lexicon.
     */
    static final Set<String> FALSE_FRIENDS =
            Set.of(
                    "die", "also", "will", "hell", "fast", "gift", "bad", "war", "kind", "arm",
                    "rat", "hut", "mist", "art", "fit", "bald", "brief", "fat", "handy", "mode",
                    "rock", "see", "so", "tag", "welt", "rot", "boot", "chef", "kram", "last",
                    "lust", "made", "not", "pest", "sage", "still", "top", "wand", "wer", "gross",
                    "sin", "fun", "fall", "falls", "hand", "hang", "lied", "mord", "ruin", "sucht",
                    "then", "wanna", "ward", "weg", "best", "bist", "bitte", "bitter", "damm",
                    "dank", "elf", "frisch", "hass", "kiss", "kill", "lag", "los", "man", "mut",
                    "ob", "oder", "pro", "rein", "sag", "tot", "wut", "zig", "hard");

    private static Map<String, Float> boosters(String[] up, String[] down) {
        Map<String, Float> m = new HashMap<>();
        for (String w : up) {
            m.put(Text.fold(w), LexiconSentimentScorer.BOOSTER);
        }
        for (String w : down) {
            m.put(Text.fold(w), -LexiconSentimentScorer.BOOSTER);
        }
        return Map.copyOf(m);
    }
}
