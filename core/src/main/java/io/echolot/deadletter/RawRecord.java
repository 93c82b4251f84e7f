package io.echolot.deadletter;

/**
 * A Kafka record as it arrived, before parsing: the bytes and where they came from. Parsing happens
 * in an operator (not in the deserializer) so that bad records can go to the dead-letter topic with
 * their coordinates instead of failing the source.
 */
public record RawRecord(
        String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {}
