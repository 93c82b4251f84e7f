package io.echolot.enrich;

import io.echolot.language.LanguageDetector;
import io.echolot.language.OptimaizeLanguageDetector;
import io.echolot.model.Mention;
import io.echolot.rules.BrandMatcher;
import io.echolot.rules.BrandRules;
import io.echolot.rules.OwnAccounts;
import io.echolot.sentiment.SentimentScorer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decides what a mention is about and in which language: brands and topics from the rules (kept in
 * addition to those on the event), the language from the text unless the event has one. With rules,
 * a mention that matches no brand is counted in {@code mentionsUnmatched} and dropped: it is not
 * about any brand we listen for. Without rules, the event's own brands are used as they are.
 *
 * <p>Rules are compiled when the operator opens, from the {@link BrandRules} read when the job was
 * built; new rules take effect by stopping the job with a savepoint and starting it with the new
 * file (the operator holds no state, so nothing is lost).
 */
public class EnrichMentions extends ProcessFunction<Mention, Mention> {

    private static final long serialVersionUID = 1L;

    private final BrandRules rules;
    private final SentimentScorer sentiment;

    private transient BrandMatcher matcher;
    private transient OwnAccounts ownAccounts;
    private transient LanguageDetector languages;
    private transient Counter unmatched;

    /**
     * @param rules the brand and topic rules, or null to take brands from the events only
     * @param sentiment scores mentions that come without a sentiment
     */
    public EnrichMentions(BrandRules rules, SentimentScorer sentiment) {
        this.rules = rules;
        this.sentiment = sentiment;
    }

    @Override
    public void open(OpenContext openContext) {
        matcher = rules == null ? null : BrandMatcher.compile(rules);
        ownAccounts = rules == null ? null : OwnAccounts.of(rules);
        languages = OptimaizeLanguageDetector.create().warmUp();
        unmatched = getRuntimeContext().getMetricGroup().counter("mentionsUnmatched");
        // loads the lexicons now rather than on the first mention
        sentiment.score("ok", "en");
    }

    /**
     * Marks a post by one of a brand's own accounts as that brand's (a brand reply) and makes sure
     * the brand is among its brands, even when the account is listed by author id only.
     */
    static Mention markBrandAccount(Mention m, OwnAccounts accounts) {
        String brand = accounts.brandOf(m.platform(), m.author()).orElse(null);
        if (brand == null) {
            return m;
        }
        java.util.List<String> brands = m.brands();
        if (!brands.contains(brand)) {
            brands = new java.util.ArrayList<>(brands);
            brands.add(brand);
        }
        return m.toBuilder().brands(java.util.List.copyOf(brands)).brandAccount(brand).build();
    }

    @Override
    public void processElement(Mention m, Context ctx, Collector<Mention> out) {
        Mention e = matcher == null ? m : matcher.enrich(m);
        if (rules != null) {
            e = markBrandAccount(e, ownAccounts);
        }
        if (matcher != null && e.brands().isEmpty()) {
            unmatched.inc();
            return;
        }
        String lang = languages.languageOf(e);
        out.collect(
                e.toBuilder()
                        .lang(lang)
                        .sentiment(
                                e.sentiment() != null
                                        ? e.sentiment()
                                        : sentiment.score(e.text(), lang).score())
                        .build());
    }
}
