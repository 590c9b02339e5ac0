#pragma once
// Clearing away what has expired — sessions past their end, idempotency keys past their
// retention — on a thread of its own at a fixed period, so that no request waits for it and
// nothing expired piles up while nobody signs in. Each task is a plain function that does one
// sweep; a failing task is logged and tried again next period.
//
// Thread-safety: Start and Stop from the owning thread; RunOnce from any one thread at a time.

#include <spdlog/logger.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"

namespace oc::app {

class Housekeeping {
 public:
  struct Task {
    std::string name;
    std::function<Status()> sweep;
  };

  Housekeeping(std::vector<Task> tasks, std::chrono::milliseconds period,
               std::shared_ptr<spdlog::logger> log);
  ~Housekeeping();  // stops the thread
  Housekeeping(const Housekeeping&) = delete;
  Housekeeping& operator=(const Housekeeping&) = delete;

  // Starts the thread; its first sweep runs one period from now. Idempotent.
  void Start();
  // Stops the thread, waiting for a sweep under way. Idempotent.
  void Stop();
  // Runs every task once, now, on the calling thread. Returns how many failed (each is logged).
  int RunOnce();

 private:
  const std::vector<Task> tasks_;
  const std::chrono::milliseconds period_;
  std::shared_ptr<spdlog::logger> log_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace oc::app
