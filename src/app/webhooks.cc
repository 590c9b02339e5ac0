#include "app/webhooks.h"

#include <boost/json.hpp>

#include "crypto/digest.h"
#include "crypto/encoding.h"

namespace oc::app {

namespace json = boost::json;

Result<std::vector<std::string>> ParseEventTypes(std::string_view text, std::string field) {
  std::vector<std::string> types;
  size_t at = 0;
  while (at <= text.size()) {
    size_t comma = text.find(',', at);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view type = text.substr(at, comma - at);
    while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    const bool well_formed =
        type == "*" || (!type.empty() && type.find('.') != std::string_view::npos &&
                        type.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_.") ==
                            std::string_view::npos);
    if (!well_formed) {
      return InvalidField(field, "invalid_event_type",
                          {"事件类型须为 * 或逗号分隔的类型，如 customer.created,followup.created",
                           "Event types must be * or a comma-separated list such as "
                           "customer.created,followup.created"});
    }
    types.emplace_back(type);
    at = comma + 1;
  }
  return types;
}

void AddWebhook(runtime::Subscriptions& subscriptions, runtime::Dispatcher& dispatcher,
                WebhookOptions options) {
  for (const std::string& type : options.event_types)
    subscriptions.Subscribe(kWebhookConsumer, type);
  dispatcher.Register(
      kWebhookConsumer,
      [options = std::move(options)](const runtime::Delivery& delivery) -> Status {
        const runtime::StoredEvent& event = delivery.event;
        const std::string body =
            json::serialize(json::object{{"id", delivery.idem_key},
                                         {"seq", event.seq},
                                         {"type", event.type},
                                         {"stream_type", event.stream_type},
                                         {"stream_id", event.stream_id},
                                         {"occurred_at", FormatInstant(event.at)},
                                         {"correlation_id", event.correlation_id},
                                         {"payload", event.payload}});
        http::ClientRequest request{
            .url = options.url,
            .headers = {{"Content-Type", "application/json"},
                        {"Idempotency-Key", delivery.idem_key},
                        {"X-OpenCredit-Event", event.type},
                        {"X-OpenCredit-Delivery-Attempt", std::to_string(delivery.attempt)}},
            .body = body,
            .timeout = options.timeout};
        if (!options.secret.empty()) {
          request.headers.emplace_back(
              "X-OpenCredit-Signature",
              "sha256=" + crypto::HexEncode(crypto::HmacSha256(options.secret, body)));
        }
        ASSIGN_OR_RETURN(http::ClientResponse answer, http::Send(request));
        if (answer.status >= 200 && answer.status < 300) return Ok();
        // The receiver's words go into the dead letter, where an administrator reads why.
        const std::string said = answer.body.substr(0, 200);
        return MakeError(
            ErrorCode::kUnavailable,
            {"Webhook 接收方回应 HTTP " + std::to_string(answer.status) + "：" + said,
             "The webhook receiver answered HTTP " + std::to_string(answer.status) + ": " + said});
      });
}

}  // namespace oc::app
