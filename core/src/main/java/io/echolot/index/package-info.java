/**
 * What goes to Elasticsearch: the documents of mentions, aggregates, alerts and care figures
 * ({@code *Documents}), their deterministic ids ({@link io.echolot.index.ElasticsearchIds}) and
 * index names ({@link io.echolot.index.IndexNames}), and the writes carried over Kafka: the
 * analytics job turns mentions, aggregates, alerts and care figures into {@link
 * io.echolot.index.DocumentRequest}s on the index topics ({@link
 * io.echolot.index.IndexRequestSerializer}); the indexing job reads them back ({@link
 * io.echolot.index.IndexRequestDeserializer}) and writes them to Elasticsearch. The topics decouple
 * detection from the dashboards: Elasticsearch back-pressure or an outage stops only the indexing
 * job, never alerting.
 */
package io.echolot.index;
