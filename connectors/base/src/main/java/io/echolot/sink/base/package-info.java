/**
 * What the sinks share: the dead-letter producer they write refused items with before every
 * checkpoint ({@link io.echolot.sink.base.DeadLetterProducer}) and the retry backoff ({@link
 * io.echolot.sink.base.Backoff}).
 */
package io.echolot.sink.base;
