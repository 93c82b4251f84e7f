/**
 * Alert delivery by webhook: {@link io.echolot.sink.webhook.WebhookSink} posts every alert state
 * change to the endpoints of a {@link io.echolot.sink.webhook.WebhookConfig} (generic JSON, Slack,
 * Microsoft Teams), signed with {@link io.echolot.sink.webhook.WebhookSignature}, retried with
 * backoff, dead-lettered by {@link io.echolot.sink.webhook.WebhookDeadLetters}, at least once
 * across restarts with an idempotency key.
 */
package io.echolot.sink.webhook;
