package io.echolot.care;

import io.echolot.model.Mention;
import io.echolot.model.Platform;
import io.echolot.model.SentimentLabel;
import io.echolot.model.TopMention;
import io.echolot.rules.Brand;
import io.echolot.rules.BrandRules;
import io.echolot.rules.CareRules;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decides, per brand of an enriched mention, whether it is a brand reply or a customer's care item.
 *
 * <ul>
 *   <li>A post of the brand's own account (marked by enrichment) is a reply in its conversation.
 *   <li>A customer's mention (not a reshare) is a care item when it addresses the brand: it names
 *       one of the brand's accounts as "@handle" ({@value #ADDRESSED}), or it asks a question ('?')
 *       or is negative as a reply in a conversation ({@value #CONVERSATION}: an item only if the
 *       brand's accounts took part in that conversation before it, which {@link BrandConversations}
 *       decides). With {@code care.items: all}, every other question ({@value #QUESTION}) or
 *       negative post ({@value #NEGATIVE}) about the brand is an item too.
 *   <li>High priority (the shorter SLA): an author with at least the brand's {@code min_followers}
 *       followers, a topic of the brand's {@code high_priority.topics} (pharma brands add the
 *       adverse-event topics), or a CRM customer whose tier is one of {@code customer_tiers}.
 * </ul>
 *
 * Metrics: {@code careItems} (without the conversation items, which {@link BrandConversations}
 * counts), {@code careItemsHighPriority}, {@code brandReplies}.
 */
public class ClassifyCare extends ProcessFunction<CustomerMention, CareEvent> {

    private static final long serialVersionUID = 1L;

    private static final Pattern HANDLE = Pattern.compile("@([A-Za-z0-9_.]+)");

    /** Reason: names one of the brand's accounts as "@handle". */
    public static final String ADDRESSED = "addressed";

    /** Reason: a question or a negative reply in a conversation the brand may take part in. */
    public static final String CONVERSATION = "conversation";

    /**
     * Marks the brand's presence in the conversation of its own post (a reply without thread root
     * opens one), for {@link BrandConversations} only: not a reply in the CEP patterns.
     */
    public static final String BRAND_POST = "brand_post";

    /** Reason ({@code care.items: all}): a question about the brand. */
    public static final String QUESTION = "question";

    /** Reason ({@code care.items: all}): a negative post about the brand. */
    public static final String NEGATIVE = "negative";

    private final BrandRules rules;
    private final Set<String> adverseTopics;

    /** The brands by id, built on first use: a mention names its brands by id. */
    private transient Map<String, Brand> brandsById;

    /** Each brand's lower-case handles per platform, built on first use per brand and platform. */
    private transient Map<String, Map<Platform, Set<String>>> handles;

    private transient Counter items;
    private transient Counter highPriority;
    private transient Counter replies;

    /**
     * @param adverseTopics topics that make a pharma brand's care item high priority
     */
    public ClassifyCare(BrandRules rules, Set<String> adverseTopics) {
        this.rules = rules;
        this.adverseTopics = Set.copyOf(adverseTopics);
    }

    @Override
    public void open(OpenContext openContext) {
        items = getRuntimeContext().getMetricGroup().counter("careItems");
        highPriority = getRuntimeContext().getMetricGroup().counter("careItemsHighPriority");
        replies = getRuntimeContext().getMetricGroup().counter("brandReplies");
    }

    @Override
    public void processElement(CustomerMention cm, Context ctx, Collector<CareEvent> out) {
        for (CareEvent e : classify(cm.mention(), cm.customer())) {
            if (e.reply()) {
                if (!BRAND_POST.equals(e.reason())) {
                    replies.inc();
                }
            } else if (!CONVERSATION.equals(e.reason())) {
                // conversation items are counted once the conversation check keeps them
                items.inc();
                if (e.highPriority()) {
                    highPriority.inc();
                }
            }
            out.collect(e);
        }
    }

    /** The care events of one mention: one per brand it is a reply or a care item for. */
    public List<CareEvent> classify(Mention m, CustomerRecord customer) {
        List<CareEvent> events = new ArrayList<>();
        if (m.isBrandPost()) {
            events.add(
                    new CareEvent(
                            true,
                            m.brandAccount(),
                            m.conversation(),
                            m.id(),
                            m.platform().wireName(),
                            m.eventTimeMillis(),
                            m.topics(),
                            false,
                            0,
                            null,
                            null,
                            null));
            if (m.threadRoot() == null && m.replyTo() != null) {
                // without a thread root, answers to this post name it as their conversation: the
                // brand takes part there too
                events.add(
                        new CareEvent(
                                true,
                                m.brandAccount(),
                                m.id(),
                                m.id(),
                                m.platform().wireName(),
                                m.eventTimeMillis(),
                                m.topics(),
                                false,
                                0,
                                BRAND_POST,
                                null,
                                null));
            }
            return events;
        }
        if (m.reshareOf() != null) {
            return events;
        }
        for (String id : m.brands()) {
            Brand brand = brand(id);
            if (brand == null) {
                continue;
            }
            String reason = reason(m, brand.care(), handlesOn(brand, m.platform()));
            if (reason == null) {
                continue;
            }
            boolean high = isHighPriority(m, brand, customer);
            CareRules care = brand.care();
            events.add(
                    new CareEvent(
                            false,
                            id,
                            m.conversation(),
                            m.id(),
                            m.platform().wireName(),
                            m.eventTimeMillis(),
                            m.topics(),
                            high,
                            (high ? care.slaHigh() : care.slaNormal()).toMillis(),
                            reason,
                            TopMention.of(m),
                            customer));
        }
        return events;
    }

    /** The brand with this id (the first one, as {@link BrandRules#brand} answers), or null. */
    private Brand brand(String id) {
        if (brandsById == null) {
            Map<String, Brand> byId = new HashMap<>();
            for (Brand b : rules.brands()) {
                byId.putIfAbsent(b.id(), b);
            }
            brandsById = byId;
        }
        return brandsById.get(id);
    }

    private Set<String> handlesOn(Brand brand, Platform platform) {
        if (handles == null) {
            handles = new HashMap<>();
        }
        return handles.computeIfAbsent(brand.id(), id -> new EnumMap<>(Platform.class))
                .computeIfAbsent(platform, p -> Set.copyOf(brand.care().handlesOn(p)));
    }

    /**
     * Why a customer's mention needs an answer from the brand, or null when it does not.
     *
     * @param handles the brand's lower-case handles on the mention's platform
     */
    static String reason(Mention m, CareRules care, Set<String> handles) {
        if (!handles.isEmpty() && m.text().indexOf('@') >= 0) {
            var matcher = HANDLE.matcher(m.text());
            while (matcher.find()) {
                if (handles.contains(matcher.group(1).toLowerCase(Locale.ROOT))) {
                    return ADDRESSED;
                }
            }
        }
        String tone = null;
        if (m.text().indexOf('?') >= 0) {
            tone = QUESTION;
        } else if (m.sentiment() != null
                && SentimentLabel.of(m.sentiment()) == SentimentLabel.NEGATIVE) {
            tone = NEGATIVE;
        }
        if (tone == null) {
            return null;
        }
        if (care.items() == CareRules.Items.ALL) {
            return tone;
        }
        return m.conversation().equals(m.id()) ? null : CONVERSATION;
    }

    boolean isHighPriority(Mention m, Brand brand, CustomerRecord customer) {
        CareRules care = brand.care();
        if (m.author().followers() >= care.highFollowers()) {
            return true;
        }
        for (String t : m.topics()) {
            if (care.highTopics().contains(t) || (brand.pharma() && adverseTopics.contains(t))) {
                return true;
            }
        }
        return customer != null
                && customer.tier() != null
                && care.highTiers().contains(customer.tier());
    }
}
