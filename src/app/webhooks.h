#pragma once
// The outbound webhook: every domain event of the configured types POSTed as JSON to one address
// (a CRM, a data warehouse, a message bus bridge), through the outbox, so that each is delivered
// at least once, in the background, with retries and a dead letter an administrator can see.
//
// Each request carries `Idempotency-Key: webhook:<seq>`, the same on every redelivery, so a
// receiver that deduplicates by it (as gateways do) takes each event once even when a node dies
// after sending and before recording. With a secret, `X-OpenCredit-Signature: sha256=<hex>` is
// the HMAC-SHA256 of the body, so the receiver can tell the call is ours. A 2xx answer settles
// the delivery; anything else, or no answer within the timeout, is tried again later.
//
// The body: {"id", "seq", "type", "stream_type", "stream_id", "occurred_at", "correlation_id",
// "payload"} — the payload as appended, which never holds personal data in plaintext.

#include <chrono>
#include <string>
#include <vector>

#include "core/error.h"
#include "http/client.h"
#include "runtime/event_log.h"
#include "runtime/outbox.h"

namespace oc::app {

inline constexpr char kWebhookConsumer[] = "webhook";

struct WebhookOptions {
  http::Url url;
  std::vector<std::string> event_types;  // "*" for every one
  std::string secret;                    // empty: unsigned
  std::chrono::milliseconds timeout{10'000};
};

// The event types of a comma-separated list ("customer.created, followup.created" or "*").
// Errors: kInvalidArgument on `field` for an empty list or an empty or malformed type.
Result<std::vector<std::string>> ParseEventTypes(std::string_view text, std::string field);

// Subscribes the webhook consumer to its types and registers its delivery with `dispatcher`.
// REQUIRES: before the first event is appended and before the dispatcher starts.
void AddWebhook(runtime::Subscriptions& subscriptions, runtime::Dispatcher& dispatcher,
                WebhookOptions options);

}  // namespace oc::app
