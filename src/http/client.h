#pragma once
// An outbound HTTP/1.1 client for the system's own calls to others: webhooks now, SMS and e-mail
// gateways and e-signature services later. One request per connection, with one deadline over
// connecting, sending and receiving, so that a gateway that stops answering holds a delivery for
// at most that long; its lease (outbox.h) is longer. The response body is bounded: a gateway
// answering megabytes is cut short and reported, never held in memory.
//
// Plain http:// only for now. An https:// address is refused with a clear error rather than sent
// in the clear.
//
// Thread-safety: stateless; call from any thread.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace oc::http {

// "http://host[:port]/path?query", split.
struct Url {
  std::string host;
  uint16_t port = 80;
  std::string target = "/";  // path and query
};

// Errors: kInvalidArgument on `field` for anything but an http:// URL with a host (an https://
// one says that it is not supported yet).
Result<Url> ParseHttpUrl(std::string_view text, std::string field);

struct ClientRequest {
  std::string method = "POST";
  Url url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{10'000};
  size_t max_response_bytes = 64 * 1024;
};

struct ClientResponse {
  int status = 0;
  std::string body;
};

// Sends the request and reads the answer. Errors: kUnavailable when the host cannot be reached,
// the deadline passes or the answer is not HTTP (the text says which).
Result<ClientResponse> Send(const ClientRequest& request);

}  // namespace oc::http
