package io.echolot.window;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.Clock;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.flink.util.clock.SystemClock;

/**
 * Bounded out-of-orderness watermarks with idleness, for a source partition whose records fan out
 * to parallel keyed operators: a partition quiet for {@code idleness} is marked idle, and when its
 * records come back the watermark moves one millisecond at once, with the first record that allows
 * it (so the partition is active again everywhere downstream, right behind that record), then holds
 * still for a grace period (wall-clock time) and only then follows the records again.
 *
 * <p>Why: Flink's own idleness ({@code WatermarkStrategy#withIdleness}) sends the records of a
 * resumed partition while it is still marked idle and only later a watermark that marks it active.
 * An operator with several inputs ignores the inputs marked idle, so the first path to forward that
 * watermark moves its event time on its own, while another path still carries older records of the
 * same batch on a channel marked idle; those records then arrive behind the watermark and are late
 * (CEP drops them, windows send them to the late topic). The same holds for what the watermark
 * itself releases: if the watermark that marks the partition active also closed windows, the alert
 * lifecycle would take it from the quickest detector path and resolve an alert before the burst
 * signal of a slower path arrived. Holding the watermark for the grace period lets every path mark
 * the partition active before event time moves past records or windows.
 *
 * <p>Start-up is not covered: Flink marks a source idle before its first record (its reader's main
 * output, which a Kafka reader never writes, goes idle, and a partition's output starts idle), and
 * the generator of a partition is created with that partition's first records, so its first
 * watermark is their full bound. The operator that joins a quick path with a slow one must not run
 * ahead of the slow one on its own ({@code io.echolot.explain.ExplainSignalsOperator}).
 *
 * <p>A record dated ahead of the wall clock (the parser accepts up to {@code --max-event-future},
 * for senders whose clocks run ahead) moves event time only as far as now: otherwise one post dated
 * minutes ahead would make every record of the minutes up to its date late.
 *
 * <p>Limit: Flink combines the partitions of one source reader, and while all of them are idle the
 * combined watermark is the highest of theirs; a resumed partition behind it cannot mark the reader
 * active until its own watermark passes that (one partition per reader avoids this).
 */
public final class ResumingWatermarks<T> implements WatermarkGenerator<T> {

    /** The longest pause of event time after a partition resumes. */
    public static final Duration MAX_GRACE = Duration.ofSeconds(5);

    private final long outOfOrdernessMillis;
    private final long idleMillis;
    private final long graceMillis;
    private final RelativeClock activity;
    private final Clock wall;

    private long maxTimestamp;
    private long emitted = Long.MIN_VALUE;
    private long lastActivity;
    private long holdUntil = Long.MIN_VALUE;
    private boolean idle;
    private boolean resuming;

    /**
     * @param grace how long the watermark holds still after the partition resumes
     * @param activity the source's input activity clock for the idleness (it stands still while the
     *     source is back-pressured, so waiting downstream does not count as idleness)
     * @param wall the clock of the grace (it runs on under back-pressure, so a long catch-up after
     *     an idle spell does not hold event time still), and the time no record's date moves event
     *     time past
     */
    public ResumingWatermarks(
            Duration outOfOrderness,
            Duration idleness,
            Duration grace,
            RelativeClock activity,
            Clock wall) {
        if (outOfOrderness.isNegative()) {
            throw new IllegalArgumentException("out-of-orderness must not be negative");
        }
        if (idleness.isNegative() || idleness.isZero()) {
            throw new IllegalArgumentException("idleness must be positive");
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative");
        }
        this.outOfOrdernessMillis = outOfOrderness.toMillis();
        this.idleMillis = idleness.toMillis();
        this.graceMillis = grace.toMillis();
        this.activity = activity;
        this.wall = wall;
        // like Flink's bounded out-of-orderness: no watermark before the first record
        this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMillis + 1;
        this.lastActivity = activity.relativeTimeMillis();
    }

    /**
     * The strategy for a source: these watermarks per partition with a grace of {@link #graceFor}
     * the idleness (add the timestamp assigner).
     */
    public static <T> WatermarkStrategy<T> strategy(Duration outOfOrderness, Duration idleness) {
        Duration grace = graceFor(idleness);
        return WatermarkStrategy.forGenerator(
                ctx ->
                        new ResumingWatermarks<>(
                                outOfOrderness,
                                idleness,
                                grace,
                                ctx.getInputActivityClock(),
                                SystemClock.getInstance()));
    }

    /** The grace period the job uses for an idleness: as long as it, at most {@link #MAX_GRACE}. */
    public static Duration graceFor(Duration idleness) {
        return idleness.compareTo(MAX_GRACE) < 0 ? idleness : MAX_GRACE;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        maxTimestamp = Math.max(maxTimestamp, Math.min(eventTimestamp, wall.absoluteTimeMillis()));
        lastActivity = activity.relativeTimeMillis();
        if (idle) {
            idle = false;
            resuming = true;
            output.markActive();
        }
        // only a watermark that moves forward reaches downstream and marks the partition active
        // there: the first record that allows one (not necessarily the first record) sends it.
        // One millisecond, not the record's bound: it must mark every path active before any
        // window closes or timer fires, or the results of a quicker path overtake a slower one
        if (resuming && bound() > emitted) {
            resuming = false;
            holdUntil = wall.relativeTimeMillis() + graceMillis;
            emit(output, emitted + 1);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (activity.relativeTimeMillis() - lastActivity > idleMillis) {
            if (!idle) {
                // what the records allow, even within the grace: no record of the spell is left
                long bound = bound();
                if (bound > emitted) {
                    emit(output, bound);
                }
                idle = true;
                resuming = false;
                output.markIdle();
            }
            return;
        }
        if (idle || resuming || wall.relativeTimeMillis() < holdUntil) {
            return;
        }
        long bound = bound();
        if (bound > emitted) {
            emit(output, bound);
        }
    }

    private long bound() {
        return maxTimestamp - outOfOrdernessMillis - 1;
    }

    private void emit(WatermarkOutput output, long watermark) {
        emitted = watermark;
        output.emitWatermark(new Watermark(watermark));
    }
}
