#pragma once
// The errors both storage backends report, so a caller sees the same code and the same
// user-facing message whichever database runs underneath. The backend-specific text (SQL,
// driver message) goes only into internal_detail.

#include <string>

#include "core/error.h"

namespace oc::storage {

// kAlreadyExists: a unique or primary key constraint rejected the row.
Error UniqueViolation(std::string internal_detail);

// kAborted: a serialization failure, deadlock or stale snapshot; running the transaction again
// may succeed.
Error TransactionConflict(std::string internal_detail);

// kUnavailable: the database cannot be reached, is shutting down, or stayed busy too long.
Error DatabaseUnavailable(std::string internal_detail);

}  // namespace oc::storage
