package io.echolot.care;

import io.echolot.model.Mention;
import org.apache.flink.api.java.functions.KeySelector;

/** Key selectors of the care workflow. */
public final class CareKeys {

    private CareKeys() {}

    /** Mentions by {@link AuthorKey}. */
    public static final class MentionAuthor implements KeySelector<Mention, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Mention m) {
            return AuthorKey.of(m);
        }
    }

    /** Customer updates by author key; unreadable ones (no key) all go to the empty key. */
    public static final class CustomerAuthor implements KeySelector<CustomerUpdate, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(CustomerUpdate u) {
            return u.authorKey() == null ? "" : u.authorKey();
        }
    }

    /** Care events by brand and conversation. */
    public static final class Conversation implements KeySelector<CareEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(CareEvent e) {
            return e.key();
        }
    }

    /** Overdue care items by brand and conversation. */
    public static final class OutcomeConversation implements KeySelector<CareOutcome, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(CareOutcome o) {
            return o.item().key();
        }
    }

    /** Scoped outcomes by brand, topic, platform and window. */
    public static final class Figures implements KeySelector<ScopedOutcome, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(ScopedOutcome o) {
            return o.key();
        }
    }
}
