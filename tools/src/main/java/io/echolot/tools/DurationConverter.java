package io.echolot.tools;

import java.time.Duration;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;

/** Reads durations the way the job's flags do: "150s", "5 min", "1 h". */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return TimeUtils.parseDuration(value);
        } catch (RuntimeException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration like '30 s', '5 min' or '1 h'");
        }
    }
}
