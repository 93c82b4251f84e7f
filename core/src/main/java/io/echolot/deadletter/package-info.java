/**
 * Dead letters: an item that could not be processed, with its stage, reason and the original bytes
 * ({@link io.echolot.deadletter.DeadLetter}), and the Kafka record contract every stage writes them
 * with ({@link io.echolot.deadletter.DeadLetterRecords}, every {@code echolot.dlq.*} header).
 */
package io.echolot.deadletter;
