package io.echolot.care;

/**
 * What became of one care item: {@link Kind#OPENED} when it was seen, then {@link Kind#ANSWERED} (a
 * brand reply within the SLA) or {@link Kind#OVERDUE} (none in time), and after that possibly
 * {@link Kind#ANSWERED_LATE}. {@code replyAt} is the event time of the answering reply (−1 when
 * none).
 */
public record CareOutcome(Kind kind, CareEvent item, long replyAt) {

    /** The stages of a care item. */
    public enum Kind {
        OPENED,
        ANSWERED,
        OVERDUE,
        ANSWERED_LATE
    }

    /** Time from the item to its answer, milliseconds; −1 when not answered. */
    public long responseMillis() {
        return replyAt < 0 ? -1 : replyAt - item.at();
    }
}
