/**
 * Why an alert fired: per (brand, topic) the features of recent windows (terms, two-word phrases,
 * authors, domains of shared URLs, platforms, languages) against a bounded running baseline, scored
 * by log-likelihood ratio, plus the top posts by reach, the share of first-time authors and the
 * share of coordinated posts. {@link io.echolot.explain.ExplainSignals} attaches them to the
 * viral-spike and negative-burst signals before the alert lifecycle.
 */
package io.echolot.explain;
