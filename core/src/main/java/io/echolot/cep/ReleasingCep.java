package io.echolot.cep;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The counterpart of {@code CEP.pattern(keyed, pattern).inEventTime().process(function)} with a
 * {@link ReleasingCepOperator}: the same matches, timeouts and state, dropped for finished keys.
 * Late events are dropped, as without a late-data tag.
 */
public final class ReleasingCep {

    private ReleasingCep() {}

    /** Applies {@code pattern} per key of {@code input} in event time. */
    public static <IN, K, OUT> SingleOutputStreamOperator<OUT> pattern(
            KeyedStream<IN, K> input,
            Pattern<IN, ?> pattern,
            PatternProcessFunction<IN, OUT> function,
            TypeInformation<OUT> outType) {
        TypeSerializer<IN> serializer =
                input.getType().createSerializer(input.getExecutionConfig().getSerializerConfig());
        PatternProcessFunction<IN, OUT> cleaned = input.getExecutionEnvironment().clean(function);
        NFACompiler.NFAFactory<IN> nfa =
                NFACompiler.compileFactory(pattern, cleaned instanceof TimedOutPartialMatchHandler);
        return input.transform(
                "ReleasingCepOperator",
                outType,
                new ReleasingCepOperator<IN, K, OUT>(
                        serializer, nfa, pattern.getAfterMatchSkipStrategy(), cleaned));
    }
}
