/**
 * Helpers for keyed state that operators touch on every mention: {@link
 * io.echolot.state.MapStateWriteBack} keeps the entries being written in memory until the next
 * checkpoint, so a state backend that serializes on each access (RocksDB) pays once per entry and
 * checkpoint instead of once per mention; {@link io.echolot.state.WritesBack} is how a function
 * holding such writes lets its operator store them.
 */
package io.echolot.state;
