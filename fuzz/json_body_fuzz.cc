// ParseJsonBody on arbitrary bytes: it must return a value or a 400/415 problem, never crash,
// overflow the stack or accept a document it cannot serialise back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <boost/json/serialize.hpp>

#include "http/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  oc::http::Request request;
  request.method = oc::http::Method::kPost;
  // The first byte picks the Content-Type, so the media-type parser is fuzzed too.
  std::string content_type = "application/json";
  if (size > 0 && data[0] == '!') {
    size_t end = 1;
    while (end < size && data[end] != '\n') ++end;
    content_type.assign(reinterpret_cast<const char*>(data) + 1, end - 1);
    data += end < size ? end + 1 : size;
    size -= end < size ? end + 1 : size;
  }
  request.headers.emplace("Content-Type", content_type);
  request.body.assign(reinterpret_cast<const char*>(data), size);

  auto parsed = oc::http::ParseJsonBody(request);
  if (parsed) {
    // Whatever is accepted must survive a round trip.
    std::string text = boost::json::serialize(*parsed);
    oc::http::Request again = request;
    again.body = text;
    if (!oc::http::ParseJsonBody(again)) std::abort();
  } else if (parsed.error().status != 400 && parsed.error().status != 415) {
    std::abort();
  }
  return 0;
}
