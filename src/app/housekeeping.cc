#include "app/housekeeping.h"

namespace oc::app {

Housekeeping::Housekeeping(std::vector<Task> tasks, std::chrono::milliseconds period,
                           std::shared_ptr<spdlog::logger> log)
    : tasks_(std::move(tasks)), period_(period), log_(std::move(log)) {}

Housekeeping::~Housekeeping() { Stop(); }

void Housekeeping::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, period_, [this] { return stopping_; })) {
      lock.unlock();
      RunOnce();
      lock.lock();
    }
  });
}

void Housekeeping::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

int Housekeeping::RunOnce() {
  int failed = 0;
  for (const Task& task : tasks_) {
    if (Status swept = task.sweep(); !swept) {
      ++failed;
      log_->warn("housekeeping: {} failed ({}): {}", task.name, ErrorCodeName(swept.error().code),
                 swept.error().internal_detail.empty() ? swept.error().message.en_us
                                                       : swept.error().internal_detail);
    }
  }
  return failed;
}

}  // namespace oc::app
