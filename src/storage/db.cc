#include "storage/db.h"

#include <cstdio>
#include <cstdlib>

namespace oc::storage {
namespace {

// A typed getter used on the wrong column type is a bug in the calling code, not bad input:
// carrying on would hand the caller a made-up value, so stop here with the column named.
[[noreturn]] void DieOnMisuse(std::string_view what, std::string_view column) {
  std::fprintf(stderr, "storage::Row misuse: %.*s (column '%.*s')\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(column.size()), column.data());
  std::abort();
}

std::string_view TypeName(const Value& value) {
  switch (value.index()) {
    case 0:
      return "NULL";
    case 1:
      return "integer";
    case 2:
      return "real";
    case 3:
      return "text";
    case 4:
      return "blob";
  }
  return "unknown";
}

}  // namespace

const Value& Row::at(size_t index) const {
  if (index >= values_.size()) {
    DieOnMisuse("column index out of range", std::to_string(index));
  }
  return values_[index];
}

const Value& Row::at(std::string_view column) const { return values_[IndexOf(column)]; }

size_t Row::IndexOf(std::string_view column) const {
  const std::vector<std::string>& names = *columns_;
  for (size_t i = 0; i < names.size() && i < values_.size(); ++i) {
    if (names[i] == column) return i;
  }
  DieOnMisuse("no such column in the result", column);
}

namespace {

template <class T>
const T& Get(const Value& value, std::string_view column, std::string_view wanted) {
  const T* typed = std::get_if<T>(&value);
  if (typed == nullptr) {
    std::string what =
        std::string("expected ") + std::string(wanted) + ", found " + std::string(TypeName(value));
    DieOnMisuse(what, column);
  }
  return *typed;
}

}  // namespace

int64_t Row::Int(size_t index) const {
  return Get<int64_t>(at(index), std::to_string(index), "integer");
}

int64_t Row::Int(std::string_view column) const {
  return Get<int64_t>(at(column), column, "integer");
}

std::optional<int64_t> Row::OptInt(std::string_view column) const {
  const Value& value = at(column);
  if (std::holds_alternative<Null>(value)) return std::nullopt;
  return Get<int64_t>(value, column, "integer");
}

// An integer widens to a real: SQLite returns an integer for a REAL expression whose value is
// whole (e.g. SUM over integers, or 2.0 stored in a column without REAL affinity).
double Row::Real(std::string_view column) const {
  const Value& value = at(column);
  if (const int64_t* i = std::get_if<int64_t>(&value)) return static_cast<double>(*i);
  return Get<double>(value, column, "real");
}

const std::string& Row::Text(size_t index) const {
  return Get<std::string>(at(index), std::to_string(index), "text");
}

const std::string& Row::Text(std::string_view column) const {
  return Get<std::string>(at(column), column, "text");
}

std::optional<std::string> Row::OptText(std::string_view column) const {
  const Value& value = at(column);
  if (std::holds_alternative<Null>(value)) return std::nullopt;
  return Get<std::string>(value, column, "text");
}

const std::string& Row::Bytes(std::string_view column) const {
  return Get<Blob>(at(column), column, "blob").bytes;
}

std::optional<std::string> Row::OptBytes(std::string_view column) const {
  const Value& value = at(column);
  if (std::holds_alternative<Null>(value)) return std::nullopt;
  return Get<Blob>(value, column, "blob").bytes;
}

Result<std::optional<int64_t>> Tx::InsertUnlessTaken(std::string_view sql, const Params& params) {
  if (dialect() == Dialect::kPostgres) {
    ASSIGN_OR_RETURN(Rows rows,
                     Query(std::string(sql) + " ON CONFLICT DO NOTHING RETURNING id", params));
    if (rows.empty()) return std::optional<int64_t>();
    return std::optional<int64_t>(rows.front().Int(0));
  }
  // SQLite undoes only the failed statement, and the single writer leaves no concurrent
  // inserter to wait for.
  auto inserted = Insert(sql, params);
  if (inserted) return std::optional<int64_t>(*inserted);
  if (inserted.error().code == ErrorCode::kAlreadyExists) return std::optional<int64_t>();
  return inserted.error();
}

Result<std::optional<Row>> Tx::QueryOne(std::string_view sql, const Params& params) {
  ASSIGN_OR_RETURN(Rows rows, Query(sql, params));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.front()));
}

}  // namespace oc::storage
