/**
 * The first step of the flow: raw Kafka records become validated {@code Mention}s or dead letters
 * ({@link io.echolot.ingest.MentionDeserializer}, {@link io.echolot.ingest.MentionParser}), within
 * the fan-out limits of {@link io.echolot.ingest.FanOutLimits}.
 */
package io.echolot.ingest;
