/**
 * What the jobs write to Kafka besides documents: mention and alert events within a byte budget
 * ({@link io.echolot.kafka.BoundedJson}), dead letters, and the client settings (TLS, SASL,
 * secrets) every Kafka client of a job shares.
 */
package io.echolot.kafka;
