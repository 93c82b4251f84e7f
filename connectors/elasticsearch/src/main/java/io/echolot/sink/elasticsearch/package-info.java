/**
 * The Elasticsearch sink: at-least-once {@code _bulk} writes from Flink, with bounded per-item
 * retries, a dead-letter path for documents Elasticsearch will never accept, and index templates
 * installed before the first write.
 *
 * <p>Wiring it in a job:
 *
 * <ol>
 *   <li>Build an {@link io.echolot.sink.elasticsearch.ElasticsearchConfig} from the flags (hosts,
 *       basic auth or API key, optional CA file).
 *   <li>Write a named {@link io.echolot.index.DocumentConverter} that derives a deterministic id
 *       from the element (e.g. key + window start + window end), so replays overwrite.
 *   <li>Build {@link io.echolot.sink.elasticsearch.ElasticsearchSink} with the converter, a {@link
 *       io.echolot.sink.elasticsearch.KafkaDeadLetterHandler} (or the default {@link
 *       io.echolot.sink.elasticsearch.LoggingDeadLetterHandler}) and the index templates from the
 *       schemas module, then {@code stream.sinkTo(sink).uid(...).name(...)}.
 * </ol>
 *
 * <p>Delivery is at-least-once: documents are flushed before every checkpoint and unsent ones are
 * kept in checkpoint state. Enable checkpointing, or nothing is kept across failures.
 */
package io.echolot.sink.elasticsearch;
