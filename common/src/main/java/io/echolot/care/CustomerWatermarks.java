package io.echolot.care;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks of the customers topic: none to wait for. CRM updates apply as they arrive (processing
 * order), so the customers input must never hold back the event time of the mentions it is joined
 * with: it reports the end of event time at once, and the join's watermark is the mentions' own.
 */
public final class CustomerWatermarks implements WatermarkGenerator<CustomerUpdate> {

    private CustomerWatermarks() {}

    public static WatermarkStrategy<CustomerUpdate> strategy() {
        return WatermarkStrategy.forGenerator(ctx -> new CustomerWatermarks());
    }

    @Override
    public void onEvent(CustomerUpdate event, long eventTimestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(new Watermark(Long.MAX_VALUE));
    }
}
