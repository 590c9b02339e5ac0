#include "runtime/worker.h"

namespace oc::runtime {

void Worker::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Worker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Worker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  wake_.notify_all();
}

bool Worker::stopping() const {
  std::lock_guard lock(mu_);
  return stopping_;
}

void Worker::Loop() {
  for (;;) {
    if (stopping()) return;
    auto handled = step_();
    if (handled && *handled > 0) continue;
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, idle_wait_, [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

}  // namespace oc::runtime
