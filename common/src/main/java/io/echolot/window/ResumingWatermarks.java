package io.echolot.window;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Bounded out-of-orderness watermarks with idleness, for a source partition whose records fan out
 * to parallel keyed operators: a partition quiet for {@code idleness} is marked idle, and when its
 * records come back the watermark moves at once to where the first record puts it (so the partition
 * is active again everywhere downstream, right behind that record) and then holds still for a grace
 * period before it follows the records again.
 *
 * <p>Why: Flink's own idleness ({@code WatermarkStrategy#withIdleness}) sends the records of a
 * resumed partition while it is still marked idle and only later a watermark that marks it active.
 * Downstream of a {@code keyBy}, the first parallel path to forward that watermark moves the event
 * time of an operator on its own, while another path still carries older records of the same batch
 * on a channel marked idle; those records then arrive behind the watermark and are late (CEP drops
 * them, windows send them to the late topic). Holding the watermark for the grace period lets every
 * path mark the partition active before event time moves past its records.
 */
public final class ResumingWatermarks<T> implements WatermarkGenerator<T> {

    /** The longest pause of event time after a partition resumes. */
    public static final Duration MAX_GRACE = Duration.ofSeconds(5);

    private final long outOfOrdernessMillis;
    private final long idleMillis;
    private final long graceMillis;
    private final RelativeClock clock;

    private long maxTimestamp;
    private long emitted = Long.MIN_VALUE;
    private long lastActivity;
    private long holdUntil = Long.MIN_VALUE;
    private boolean idle;

    /**
     * @param grace how long the watermark holds still after the partition resumes
     * @param clock the source's input activity clock (it stands still while the source is
     *     back-pressured, so waiting downstream does not count as idleness)
     */
    public ResumingWatermarks(
            Duration outOfOrderness, Duration idleness, Duration grace, RelativeClock clock) {
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
        this.clock = clock;
        // like Flink's bounded out-of-orderness: no watermark before the first record
        this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMillis + 1;
        this.lastActivity = clock.relativeTimeMillis();
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
                                outOfOrderness, idleness, grace, ctx.getInputActivityClock()));
    }

    /** The grace period the job uses for an idleness: as long as it, at most {@link #MAX_GRACE}. */
    public static Duration graceFor(Duration idleness) {
        return idleness.compareTo(MAX_GRACE) < 0 ? idleness : MAX_GRACE;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        lastActivity = clock.relativeTimeMillis();
        if (idle) {
            idle = false;
            holdUntil = lastActivity + graceMillis;
            long bound = bound();
            // only a watermark that moves forward reaches downstream and marks the partition active
            if (bound > emitted) {
                emit(output, bound);
            } else {
                // nothing to move forward (records behind the watermark): Flink's own behaviour
                output.markActive();
            }
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = clock.relativeTimeMillis();
        if (now - lastActivity > idleMillis) {
            if (!idle) {
                // what the records allow, even within the grace: no record of the spell is left
                long bound = bound();
                if (bound > emitted) {
                    emit(output, bound);
                }
                idle = true;
                output.markIdle();
            }
            return;
        }
        if (idle || now < holdUntil) {
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
