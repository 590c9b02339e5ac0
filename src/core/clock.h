#pragma once
// Time is injected: domain code asks a Clock, never the system, so tests can say "it is now
// 3 days before the due date". Instants are UTC with microsecond precision.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace oc {

using Instant = std::chrono::sys_time<std::chrono::microseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

// Reads the system clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  Instant Now() const override;
};

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant start) : now_us_(start.time_since_epoch().count()) {}
  Instant Now() const override { return Instant(std::chrono::microseconds(now_us_.load())); }
  void Advance(std::chrono::microseconds by) { now_us_ += by.count(); }
  void Set(Instant to) { now_us_ = to.time_since_epoch().count(); }

 private:
  std::atomic<int64_t> now_us_;
};

// RFC 3339 UTC text with microseconds: "2026-11-28T13:09:47.123456Z".
std::string FormatInstant(Instant instant);
// Accepts RFC 3339 with 'Z' or a numeric offset; false on malformed text.
bool ParseInstant(std::string_view text, Instant* out);

// Microseconds since the Unix epoch, the storage representation of an Instant.
inline int64_t ToUnixMicros(Instant instant) { return instant.time_since_epoch().count(); }
inline Instant FromUnixMicros(int64_t micros) {
  return Instant(std::chrono::microseconds(micros));
}

}  // namespace oc
