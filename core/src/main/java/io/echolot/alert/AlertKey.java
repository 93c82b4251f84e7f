package io.echolot.alert;

import org.apache.flink.api.java.functions.KeySelector;

/** Keys signals by (brand, topic, type): one open alert per key. */
public final class AlertKey implements KeySelector<AlertSignal, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(AlertSignal s) {
        return s.alertKey();
    }
}
