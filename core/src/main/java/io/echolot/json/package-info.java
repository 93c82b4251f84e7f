/**
 * JSON of the product's events: the shared {@link io.echolot.json.Json} mapper, mentions and
 * aggregates as JSON, and the text helpers that keep open-internet strings valid (surrogates, UTF-8
 * size caps).
 */
package io.echolot.json;
