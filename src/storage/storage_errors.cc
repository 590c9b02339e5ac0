#include "storage/storage_errors.h"

namespace oc::storage {

Error UniqueViolation(std::string internal_detail) {
  return MakeError(ErrorCode::kAlreadyExists, {"记录已存在", "The record already exists"},
                   std::move(internal_detail));
}

Error TransactionConflict(std::string internal_detail) {
  return MakeError(ErrorCode::kAborted,
                   {"数据被同时修改，请重试", "The data was changed concurrently; please retry"},
                   std::move(internal_detail));
}

Error DatabaseUnavailable(std::string internal_detail) {
  return MakeError(ErrorCode::kUnavailable,
                   {"数据库暂时不可用，请稍后重试",
                    "The database is temporarily unavailable; please retry later"},
                   std::move(internal_detail));
}

}  // namespace oc::storage
