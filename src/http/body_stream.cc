#include "http/body_stream.h"

#include <utility>

namespace oc::http {

BodyStream::BodyStream(std::string idle_chunk, size_t max_queued_bytes)
    : idle_chunk_(std::move(idle_chunk)), max_queued_bytes_(max_queued_bytes) {}

bool BodyStream::Write(std::string chunk) {
  std::lock_guard lock(mu_);
  if (ended_ || finished_) return false;
  if (chunk.empty()) return true;
  if (queued_.size() + chunk.size() > max_queued_bytes_) {
    ended_ = true;
    queued_.clear();
    if (wake_) wake_();
    return false;
  }
  queued_ += chunk;
  if (wake_) wake_();
  return true;
}

void BodyStream::End() {
  std::lock_guard lock(mu_);
  if (ended_) return;
  ended_ = true;
  if (wake_) wake_();
}

void BodyStream::OnEnd(std::function<void()> callback) {
  std::lock_guard lock(mu_);
  on_end_.push_back(std::move(callback));
}

void BodyStream::Attach(std::function<void()> wake) {
  std::lock_guard lock(mu_);
  if (finished_) return;
  wake_ = std::move(wake);
  if (!queued_.empty() || ended_) wake_();
}

BodyStream::Pending BodyStream::Take() {
  std::lock_guard lock(mu_);
  Pending pending{.bytes = std::move(queued_), .over = ended_ || finished_};
  queued_.clear();
  return pending;
}

void BodyStream::Finish() {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(mu_);
    if (finished_) return;
    finished_ = true;
    queued_.clear();
    wake_ = nullptr;
    callbacks.swap(on_end_);
  }
  for (auto& callback : callbacks) callback();
}

}  // namespace oc::http
