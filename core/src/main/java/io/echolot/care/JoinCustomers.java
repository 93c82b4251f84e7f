package io.echolot.care;

import io.echolot.deadletter.DeadLetter;
import io.echolot.model.Mention;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Joins the CRM record of the author onto each mention, both streams keyed by {@link AuthorKey}:
 * the customer record lives in keyed state, so it scales with the number of customers (a broadcast
 * state would copy every customer to every subtask). Updates apply as they arrive, tombstones
 * delete the record; unreadable customer records go to {@link #DEAD_LETTERS}. Metrics: {@code
 * customersKnown} (mentions joined), {@code customerUpdates}, {@code customerDeletes}.
 */
public class JoinCustomers
        extends KeyedCoProcessFunction<String, Mention, CustomerUpdate, CustomerMention> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("customer-dead-letters") {
                private static final long serialVersionUID = 1L;
            };

    /** The stage name of refused customer records in the dead-letter topic. */
    public static final String STAGE = "customers";

    private transient ValueState<CustomerRecord> customer;
    private transient Counter known;
    private transient Counter updates;
    private transient Counter deletes;

    @Override
    public void open(OpenContext openContext) {
        customer =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("customer", CustomerRecord.class));
        known = getRuntimeContext().getMetricGroup().counter("customersKnown");
        updates = getRuntimeContext().getMetricGroup().counter("customerUpdates");
        deletes = getRuntimeContext().getMetricGroup().counter("customerDeletes");
    }

    @Override
    public void processElement1(Mention m, Context ctx, Collector<CustomerMention> out)
            throws Exception {
        CustomerRecord c = customer.value();
        if (c != null) {
            known.inc();
        }
        out.collect(new CustomerMention(m, c));
    }

    @Override
    public void processElement2(CustomerUpdate u, Context ctx, Collector<CustomerMention> out)
            throws Exception {
        if (u.error() != null) {
            ctx.output(DEAD_LETTERS, new DeadLetter(u.source(), STAGE, u.error()));
        } else if (u.record() == null) {
            customer.clear();
            deletes.inc();
        } else {
            customer.update(u.record());
            updates.inc();
        }
    }
}
