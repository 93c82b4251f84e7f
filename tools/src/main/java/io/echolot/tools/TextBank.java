package io.echolot.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The generator's posts: per brand, topic, language and tone, sentences written so that the example
 * rules find the brand and the topic and the sentiment scorer agrees with the tone. Decoys name a
 * brand's homonym (FC Bayern, a Strider bike) and must be ignored by the rules.
 */
final class TextBank {

    /** The tone a post is written in. */
    enum Tone {
        POSITIVE,
        NEUTRAL,
        NEGATIVE
    }

    /** A post template: brand, topic, language and tone it is written for. */
    record Post(String brand, String topic, String lang, Tone tone, String text) {}

    /**
     * A brand the generator writes about, with how often each of its topics comes up and the handle
     * of its own account on X (customers address it as @account; it posts the replies).
     */
    record GeneratedBrand(
            String name, double share, Map<String, Double> topicWeights, String account) {}

    static final List<GeneratedBrand> BRANDS =
            List.of(
                    new GeneratedBrand(
                            "cardiofit",
                            0.35,
                            Map.of("wirkung", 0.45, "preis", 0.3, "lieferung", 0.25),
                            "cardiofit_de"),
                    new GeneratedBrand(
                            "strider",
                            0.45,
                            Map.of("app", 0.4, "schuhe", 0.4, "service", 0.2),
                            "strider_running"),
                    new GeneratedBrand(
                            "bayer", 0.2, Map.of("preis", 0.5, "lieferung", 0.5), "bayer_de"));

    /** What a brand's social-media team answers, by language; %s is the customer's handle. */
    static final Map<String, List<String>> REPLIES =
            Map.of(
                    "de",
                    List.of(
                            "@%s Danke für deine Nachricht! Schreib uns bitte eine DM, wir kümmern uns sofort darum. ^Lena",
                            "@%s Das tut uns leid. Wir haben dir eine Direktnachricht geschickt. ^Jonas"),
                    "en",
                    List.of(
                            "@%s Thanks for reaching out! Please send us a DM and we will sort this out. ^Lena",
                            "@%s Sorry to hear that. We have sent you a direct message. ^Jonas"));

    /**
     * A customer's follow-up question under the brand's answer, by brand and language: it names the
     * brand but not its account, so only the conversation makes it a care item.
     */
    static final Map<String, Map<String, Post>> FOLLOW_UPS =
            Map.of(
                    "cardiofit",
                    Map.of(
                            "de",
                            new Post(
                                    "cardiofit",
                                    "lieferung",
                                    "de",
                                    Tone.NEUTRAL,
                                    "Und wann ist Cardiofit wieder lieferbar?"),
                            "en",
                            new Post(
                                    "cardiofit",
                                    "lieferung",
                                    "en",
                                    Tone.NEUTRAL,
                                    "And when is the next Cardiofit delivery?")),
                    "strider",
                    Map.of(
                            "de",
                            new Post(
                                    "strider",
                                    "app",
                                    "de",
                                    Tone.NEUTRAL,
                                    "Und wann kommt das nächste Update für Strider?"),
                            "en",
                            new Post(
                                    "strider",
                                    "app",
                                    "en",
                                    Tone.NEUTRAL,
                                    "And when is the next Strider update coming?")),
                    "bayer",
                    Map.of(
                            "de",
                            new Post(
                                    "bayer",
                                    "lieferung",
                                    "de",
                                    Tone.NEUTRAL,
                                    "Und gibt es von Bayer schon einen Termin für die Lieferung?"),
                            "en",
                            new Post(
                                    "bayer",
                                    "lieferung",
                                    "en",
                                    Tone.NEUTRAL,
                                    "And does Bayer have a date for the delivery yet?")));

    /** A customer who addresses the brand directly and gets no answer for a long time. */
    static final Map<String, Post> COMPLAINTS =
            Map.of(
                    "cardiofit",
                    new Post(
                            "cardiofit",
                            "lieferung",
                            "de",
                            Tone.NEGATIVE,
                            "@cardiofit_de Meine Apotheke sagt, Cardiofit ist nicht lieferbar. Ich brauche es dringend, warum antwortet niemand?"),
                    "strider",
                    new Post(
                            "strider",
                            "service",
                            "de",
                            Tone.NEGATIVE,
                            "@strider_running Seit zwei Wochen keine Antwort zu meiner Reklamation. Unmöglich!"));

    private static final List<Post> POSTS = new ArrayList<>();

    private static void add(String brand, String topic, String lang, Tone tone, String... texts) {
        for (String t : texts) {
            POSTS.add(new Post(brand, topic, lang, tone, t));
        }
    }

    static {
        Tone p = Tone.POSITIVE;
        Tone n = Tone.NEUTRAL;
        Tone x = Tone.NEGATIVE;
        add(
                "cardiofit",
                "wirkung",
                "de",
                p,
                "Cardiofit wirkt bei mir richtig gut, der Blutdruck ist endlich stabil.",
                "Seit drei Wochen Cardiofit und es hilft wirklich. Bin sehr zufrieden!",
                "Mein Blutdruck ist dank Cardiofit super eingestellt, danke an meine Ärztin.");
        add(
                "cardiofit",
                "wirkung",
                "de",
                n,
                "Wie lange dauert es, bis Cardiofit wirkt?",
                "Meine Ärztin hat mir heute Cardiofit gegen den Blutdruck verschrieben.",
                "Nimmt jemand Cardiofit morgens oder abends? Wann wirkt es besser?");
        add(
                "cardiofit",
                "wirkung",
                "de",
                x,
                "Cardiofit hilft bei mir überhaupt nicht, der Blutdruck ist immer noch viel zu hoch. Enttäuschend.",
                "Enttäuscht von Cardiofit, die Wirkung lässt nach zwei Stunden nach.");
        add(
                "cardiofit",
                "wirkung",
                "en",
                p,
                "Cardiofit works great for me, my blood pressure is finally normal. So happy!",
                "Two months on Cardiofit and my blood pressure is so much better. Really happy with it!");
        add(
                "cardiofit",
                "wirkung",
                "en",
                n,
                "How long does Cardiofit take before it works?",
                "My doctor switched me to Cardiofit for my blood pressure today.");
        add(
                "cardiofit",
                "wirkung",
                "en",
                x,
                "Cardiofit does nothing for my blood pressure. Really disappointed.");
        add(
                "cardiofit",
                "preis",
                "de",
                p,
                "Cardiofit ist jetzt günstiger geworden, super!",
                "Zum Glück gibt es Cardiofit ohne Zuzahlung, sehr fair.");
        add(
                "cardiofit",
                "preis",
                "de",
                n,
                "Was kostet Cardiofit ohne Rezept?",
                "Gibt es Cardiofit auch als Generikum zu einem anderen Preis?");
        add(
                "cardiofit",
                "preis",
                "de",
                x,
                "Cardiofit schon wieder teurer geworden, ärgerlich.",
                "Die Zuzahlung für Cardiofit ist eine Frechheit, viel zu teuer!");
        add("cardiofit", "preis", "en", n, "What does Cardiofit cost without insurance?");
        add("cardiofit", "preis", "en", x, "Cardiofit is way too expensive now, terrible pricing.");
        add(
                "cardiofit",
                "lieferung",
                "de",
                p,
                "Endlich ist Cardiofit wieder lieferbar, danke an meine Apotheke!");
        add(
                "cardiofit",
                "lieferung",
                "de",
                n,
                "Weiß jemand, wann Cardiofit wieder lieferbar ist?",
                "Wie lange dauert der Versand von Cardiofit bei der Versandapotheke?");
        add(
                "cardiofit",
                "lieferung",
                "de",
                x,
                "Cardiofit ist seit Wochen nirgends lieferbar, eine Zumutung!",
                "Apotheke sagt, Cardiofit ist nicht lieferbar. Was nun?",
                "Schon wieder Lieferengpass bei Cardiofit. Unglaublich schlecht organisiert!");
        add(
                "cardiofit",
                "lieferung",
                "en",
                x,
                "Cardiofit out of stock again at every pharmacy. Awful.");
        add(
                "strider",
                "app",
                "de",
                p,
                "Das neue Update der Strider App ist richtig gut, GPS endlich genau!",
                "Liebe die Strider App, das Tracking ist super.");
        add(
                "strider",
                "app",
                "de",
                n,
                "Kann man die Strider App mit der Uhr synchronisieren?",
                "Gibt es die Strider App auch für Tablets? Frage für das Tracking.");
        add(
                "strider",
                "app",
                "de",
                x,
                "Strider App stürzt seit dem Update ständig ab.",
                "Die Strider App ist seit dem Update völlig unbrauchbar, absolut enttäuschend!",
                "Login bei Strider geht schon wieder nicht. Nervt total.");
        add(
                "strider",
                "app",
                "en",
                p,
                "The new Strider app update is great, GPS tracking finally accurate!");
        add("strider", "app", "en", n, "Does the Strider app sync with Garmin watches?");
        add(
                "strider",
                "app",
                "en",
                x,
                "The Strider app keeps crashing after the update.",
                "Strider app login broken again. So annoying.");
        add(
                "strider",
                "schuhe",
                "de",
                p,
                "Die neuen Strider Laufschuhe sind super bequem!",
                "Mit den Strider Schuhen meinen ersten Halbmarathon gelaufen, tolle Dämpfung!");
        add(
                "strider",
                "schuhe",
                "de",
                n,
                "Fallen die Strider Laufschuhe in der Größe normal aus?",
                "Welche Sohle hat der neue Strider Schuh?");
        add(
                "strider",
                "schuhe",
                "de",
                x,
                "Die Sohle meiner Strider Schuhe löst sich nach zwei Monaten. Schlechte Qualität.");
        add(
                "strider",
                "schuhe",
                "en",
                p,
                "Love my new Strider shoes, best run this year.",
                "Strider shoes have amazing cushioning, highly recommend!");
        add("strider", "schuhe", "en", n, "Are Strider shoes true to size?");
        add(
                "strider",
                "schuhe",
                "en",
                x,
                "My Strider shoes fell apart after a month. Poor quality.");
        add(
                "strider",
                "service",
                "de",
                p,
                "Der Kundenservice von Strider hat mir sofort geholfen, super!");
        add(
                "strider",
                "service",
                "de",
                n,
                "Wie erreiche ich den Kundenservice von Strider für einen Umtausch?");
        add(
                "strider",
                "service",
                "de",
                x,
                "Kundenservice von Strider antwortet nicht. Enttäuschend.",
                "Seit zwei Wochen keine Antwort von Strider zur Reklamation. Unmöglich!");
        add("strider", "service", "en", p, "Strider support replaced my shoes in two days. Great!");
        add(
                "strider",
                "service",
                "en",
                x,
                "Strider support never replied to my email.",
                "Still waiting for my Strider refund. Terrible customer service.");
        add(
                "bayer",
                "preis",
                "de",
                n,
                "Bayer erhöht die Preise für rezeptfreie Schmerzmittel.",
                "Was kostet Aspirin von Bayer inzwischen in der Apotheke?");
        add("bayer", "preis", "de", x, "Bayer verlangt viel zu viel für das Präparat, teuer!");
        add("bayer", "preis", "en", n, "Bayer raises prices of over-the-counter painkillers.");
        add(
                "bayer",
                "lieferung",
                "de",
                p,
                "Gute Nachricht: Bayer meldet, das Präparat ist wieder lieferbar.");
        add(
                "bayer",
                "lieferung",
                "de",
                x,
                "Lieferengpass bei Bayer, schon wieder nicht lieferbar. Ärgerlich.");
        add(
                "bayer",
                "lieferung",
                "en",
                n,
                "Bayer says shipping of the new batch starts next week.");
    }

    /** Posts that name a brand's homonym: the rules must not count them. */
    static final List<String> DECOYS =
            List.of(
                    "Was für ein Spiel! FC Bayern gewinnt in der Nachspielzeit.",
                    "Bayer Leverkusen bleibt auch heute ungeschlagen.",
                    "Unsere Kleine lernt gerade Laufrad fahren auf ihrem Strider Bike.",
                    "Aragorn, known as Strider, is still my favourite character.");

    /** Posts about a side effect of the pharma brand: each must become an adverse-event alert. */
    /**
     * The emerging story per brand: a rumoured batch recall, in words no rule of the example rules
     * watches (no topic: the rules have none for it, which is the point).
     */
    static final Map<String, List<Post>> STORIES =
            Map.of(
                    "cardiofit",
                    List.of(
                            new Post(
                                    "cardiofit",
                                    null,
                                    "de",
                                    Tone.NEUTRAL,
                                    "Stimmt das mit dem Rückruf von Cardiofit? Angeblich ist die"
                                            + " Charge B2417 betroffen"),
                            new Post(
                                    "cardiofit",
                                    null,
                                    "de",
                                    Tone.NEUTRAL,
                                    "Apotheke weiß nichts von einem Cardiofit Rückruf, meine"
                                            + " Packung ist aus Charge B2417"),
                            new Post(
                                    "cardiofit",
                                    null,
                                    "de",
                                    Tone.NEUTRAL,
                                    "Cardiofit Rückruf wegen Verunreinigung? Charge B2417 soll"
                                            + " betroffen sein"),
                            new Post(
                                    "cardiofit",
                                    null,
                                    "en",
                                    Tone.NEUTRAL,
                                    "Is there a Cardiofit recall? Batch B2417 reportedly"
                                            + " affected, Rückruf rumours on German forums")));

    static final List<Post> ADVERSE =
            List.of(
                    new Post(
                            "cardiofit",
                            "nebenwirkung",
                            "de",
                            Tone.NEGATIVE,
                            "Seit ich Cardiofit nehme, habe ich jeden Morgen starken Schwindel und Übelkeit."),
                    new Post(
                            "cardiofit",
                            "nebenwirkung",
                            "de",
                            Tone.NEGATIVE,
                            "Hat jemand auch Reizhusten als Nebenwirkung von Cardiofit?"),
                    new Post(
                            "cardiofit",
                            "nebenwirkung",
                            "en",
                            Tone.NEGATIVE,
                            "Terrible headaches since starting Cardiofit. Is this a known side effect?"));

    /** The root posts of a viral cascade, reshared many times. */
    static final Map<String, List<Post>> VIRAL =
            Map.of(
                    "strider",
                    List.of(
                            new Post(
                                    "strider",
                                    "schuhe",
                                    "de",
                                    Tone.POSITIVE,
                                    "Testsieger! Die Strider Laufschuhe gewinnen den großen Laufschuh-Test. Genial!"),
                            new Post(
                                    "strider",
                                    "schuhe",
                                    "en",
                                    Tone.POSITIVE,
                                    "Strider shoes just won the big running shoe test. Amazing!")),
                    "cardiofit",
                    List.of(
                            new Post(
                                    "cardiofit",
                                    "wirkung",
                                    "de",
                                    Tone.POSITIVE,
                                    "Neue Studie: Cardiofit senkt den Blutdruck deutlich besser als erwartet. Großartig!")),
                    "bayer",
                    List.of(
                            new Post(
                                    "bayer",
                                    "lieferung",
                                    "de",
                                    Tone.NEUTRAL,
                                    "Bayer kündigt an: Lieferung des Präparats ab heute wieder normal.")));

    private static final Map<Tone, String[]> DE_ENDINGS =
            Map.of(
                    Tone.POSITIVE, new String[] {"", "", " 😊", " 👍", " Klare Empfehlung."},
                    Tone.NEUTRAL, new String[] {"", "", " Danke vorab.", " Erfahrungen?"},
                    Tone.NEGATIVE, new String[] {"", "", " 😡", " Echt jetzt?!"});
    private static final Map<Tone, String[]> EN_ENDINGS =
            Map.of(
                    Tone.POSITIVE, new String[] {"", "", " 😊", " 👍", " Love it."},
                    Tone.NEUTRAL, new String[] {"", "", " Thanks in advance.", " Any experience?"},
                    Tone.NEGATIVE, new String[] {"", "", " 😡", " Seriously?!"});

    private TextBank() {}

    /**
     * A post about {@code brand}'s {@code topic} in {@code lang} and {@code tone}; when nothing is
     * written for that combination, the nearest one (any tone, then any language, then any topic).
     */
    static Post pick(SplittableRandom random, String brand, String topic, String lang, Tone tone) {
        List<Post> fit = filter(brand, topic, lang, tone);
        if (fit.isEmpty()) {
            fit = filter(brand, topic, lang, null);
        }
        if (fit.isEmpty()) {
            fit = filter(brand, topic, null, tone);
        }
        if (fit.isEmpty()) {
            fit = filter(brand, null, null, tone);
        }
        if (fit.isEmpty()) {
            throw new IllegalStateException("no post for brand " + brand);
        }
        return fit.get(random.nextInt(fit.size()));
    }

    /** The post's text with an ending in its language and tone, so not every copy is identical. */
    static String decorate(SplittableRandom random, Post post) {
        String[] endings = ("de".equals(post.lang()) ? DE_ENDINGS : EN_ENDINGS).get(post.tone());
        return post.text() + endings[random.nextInt(endings.length)];
    }

    static List<Post> all() {
        return List.copyOf(POSTS);
    }

    private static List<Post> filter(String brand, String topic, String lang, Tone tone) {
        List<Post> out = new ArrayList<>();
        for (Post p : POSTS) {
            if (p.brand().equals(brand)
                    && (topic == null || p.topic().equals(topic))
                    && (lang == null || p.lang().equals(lang))
                    && (tone == null || p.tone() == tone)) {
                out.add(p);
            }
        }
        return out;
    }
}
