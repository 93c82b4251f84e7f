package io.echolot.cep;

import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.NFAStateSerializer;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.nfa.sharedbuffer.EventId;
import org.apache.flink.cep.nfa.sharedbuffer.Lockable;
import org.apache.flink.cep.nfa.sharedbuffer.NodeId;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferNode;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferNodeSerializer;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimer;

/**
 * Flink's CEP operator in event time, which also drops every keyed state entry of a key once that
 * key has nothing left: no partial match beyond the start state, no completed match waiting, no
 * buffered element and no event in the shared buffer. Flink 2.2's operator already drops the NFA
 * state of such a key when one of its timers fires, but keeps the shared buffer's per-timestamp
 * event counter of the last event it took whenever that event's time was the watermark it was
 * processed at and no later timer of the key follows (one entry per key for good, e.g. a (brand,
 * topic) whose last window matched a single-window pattern).
 *
 * <p>The check runs after each event-time timer of the key, that is after every step where the
 * operator changes the key's matches; the key's remaining timers (a partial match's time bound)
 * fire later and find nothing. Clearing is what a new key looks like to the operator, so matching
 * is unchanged; the event counters only number the events of one timestamp, and every later event
 * of the key is after the watermark. The state names and serializers are those Flink 2.2's {@link
 * CepOperator} and shared buffer register, so the state is the operator's own and a savepoint
 * restores unchanged; a test fails if a Flink upgrade renames them.
 */
public class ReleasingCepOperator<IN, KEY, OUT> extends CepOperator<IN, KEY, OUT> {

    private static final long serialVersionUID = 1L;

    static final String NFA_STATE = "nfaStateName";
    static final String ELEMENT_QUEUE = "eventQueuesStateName";
    static final String BUFFER_EVENTS = "sharedBuffer-events";
    static final String BUFFER_ENTRIES = "sharedBuffer-entries-with-lockable-edges";
    static final String BUFFER_EVENT_COUNTS = "sharedBuffer-events-count";

    private final TypeSerializer<IN> inputSerializer;

    private transient ValueState<NFAState> nfaState;
    private transient MapState<Long, List<IN>> elementQueue;
    private transient MapState<EventId, Lockable<IN>> bufferEvents;
    private transient MapState<NodeId, Lockable<SharedBufferNode>> bufferEntries;
    private transient MapState<Long, Integer> bufferEventCounts;

    public ReleasingCepOperator(
            TypeSerializer<IN> inputSerializer,
            NFACompiler.NFAFactory<IN> nfaFactory,
            AfterMatchSkipStrategy afterMatchSkipStrategy,
            PatternProcessFunction<IN, OUT> function) {
        super(inputSerializer, false, nfaFactory, null, afterMatchSkipStrategy, function, null);
        this.inputSerializer = inputSerializer;
    }

    @Override
    public void open() throws Exception {
        super.open();
        var store = getKeyedStateStore();
        nfaState = store.getState(new ValueStateDescriptor<>(NFA_STATE, new NFAStateSerializer()));
        elementQueue =
                store.getMapState(
                        new MapStateDescriptor<>(
                                ELEMENT_QUEUE,
                                LongSerializer.INSTANCE,
                                new ListSerializer<>(inputSerializer)));
        bufferEvents =
                store.getMapState(
                        new MapStateDescriptor<>(
                                BUFFER_EVENTS,
                                EventId.EventIdSerializer.INSTANCE,
                                new Lockable.LockableTypeSerializer<>(inputSerializer)));
        bufferEntries =
                store.getMapState(
                        new MapStateDescriptor<>(
                                BUFFER_ENTRIES,
                                new NodeId.NodeIdSerializer(),
                                new Lockable.LockableTypeSerializer<>(
                                        new SharedBufferNodeSerializer())));
        bufferEventCounts =
                store.getMapState(
                        new MapStateDescriptor<>(
                                BUFFER_EVENT_COUNTS,
                                LongSerializer.INSTANCE,
                                IntSerializer.INSTANCE));
    }

    @Override
    public void onEventTime(InternalTimer<KEY, VoidNamespace> timer) throws Exception {
        super.onEventTime(timer);
        releaseIfFinished();
    }

    /** Drops the current key's state if it holds nothing that a later event could continue. */
    private void releaseIfFinished() throws Exception {
        NFAState nfa = nfaState.value();
        if (nfa != null && !onlyStart(nfa)) {
            return;
        }
        if (!elementQueue.isEmpty() || !bufferEvents.isEmpty() || !bufferEntries.isEmpty()) {
            return;
        }
        nfaState.clear();
        elementQueue.clear();
        bufferEvents.clear();
        bufferEntries.clear();
        bufferEventCounts.clear();
    }

    /** Only start states, which refer to nothing in the shared buffer, and no completed match. */
    private static boolean onlyStart(NFAState nfa) {
        if (!nfa.getCompletedMatches().isEmpty()) {
            return false;
        }
        for (ComputationState s : nfa.getPartialMatches()) {
            if (s.getPreviousBufferEntry() != null || s.getStartEventID() != null) {
                return false;
            }
        }
        return true;
    }
}
