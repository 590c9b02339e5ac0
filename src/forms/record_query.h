#pragma once
// Generic list queries over an entity's table, driven by its EntityDef: filters from query
// parameters, a stable sort, and keyset (cursor) pagination. The entity's service adds its own
// predicates (the caller's data scope from auth::Principal::ScopeSql, soft deletes) and runs the
// statement.
//
// Query parameters:
//   field=value            exact match on any filterable field, standardised like input (a
//                          sensitive field is matched through its blind index); repeated, any of
//                          the values matches. multi_select: the record contains the value.
//                          boolean: true / false. A sensitive field takes one value, and one
//                          sensitive field is looked up per request: each lookup tests a
//                          candidate for a masked value, so the caller rate-limits and audits
//                          them one by one (sensitive_lookups()).
//   field.from=, .to=      inclusive bounds for integer, decimal, money, percent, date, datetime.
//                          A masked_to_year date, for a caller who may not unmask: whole years
//                          only (.from=YYYY-01-01, .to=YYYY-12-31), no exact value, no sort.
//   field.prefix=          text prefix (non-sensitive text and long_text), case-sensitive.
//   sort=-created_at,name  sortable fields, '-' for descending; `id` is always the last key, so
//                          the order is total and pages never overlap or skip. Default: id.
//                          NULL sorts as the smallest value on both backends.
//   limit=                 1–500, default 50.
//   cursor=                opaque, from the previous page's next_cursor; only valid with the same
//                          sort.
//
// Thread-safety: pure functions; a ListQuery is a plain value.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "crypto/field_cipher.h"
#include "forms/field.h"
#include "storage/db.h"

namespace oc::forms {

// Percent-decoded query parameters, repeated keys allowed (http::Request::query converts as is).
using QueryParams = std::multimap<std::string, std::string>;

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

struct ListQueryOptions {
  // Parameters the caller handles itself ("q", "include_deleted"): ignored here, not errors.
  std::set<std::string, std::less<>> caller_params;
  // Prefix for column names in the generated SQL ("c" → "c.name"); empty for none.
  std::string qualifier;
  // The entity table's id column.
  std::string id_column = "id";
  // Whether the caller may unmask (pii.unmask): otherwise masked_to_year fields narrow to years.
  bool may_unmask = false;
};

// A SQL fragment and its parameters, in placeholder order.
struct SqlFragment {
  std::string sql;
  storage::Params params;
};

struct SortKey {
  const FieldDef* field = nullptr;  // nullptr: the id column
  bool descending = false;
};

class ListQuery {
 public:
  // The filter conditions ANDed together ("1 = 1" when there are none).
  const SqlFragment& filter() const { return filter_; }
  // The cursor condition ("1 = 1" on the first page).
  const SqlFragment& after_cursor() const { return after_cursor_; }
  // "c.x_score DESC, c.id DESC" (no "ORDER BY").
  const std::string& order_by() const { return order_by_; }
  const std::vector<SortKey>& sort() const { return sort_; }
  int limit() const { return limit_; }
  // The sensitive fields matched by an exact value (at most one).
  const std::vector<const FieldDef*>& sensitive_lookups() const { return sensitive_lookups_; }

  // The whole statement: SELECT <select_list> FROM <from> WHERE (<scope>) AND filter AND
  // after_cursor ORDER BY … LIMIT limit()+1. Fetching one extra row tells whether another page
  // follows. `scope` is the caller's own predicate (data scope, soft delete); its params come
  // first.
  // REQUIRES: select_list includes every sort key's column and the id column
  // (SelectColumns(entity) plus the id satisfies this).
  SqlFragment Statement(std::string_view select_list, std::string_view from,
                        const SqlFragment& scope) const;

  // The number of rows Statement would list over all its pages: SELECT COUNT(*) FROM <from>
  // WHERE (<scope>) AND filter, the cursor and the limit left out. Same scope as Statement.
  SqlFragment CountStatement(std::string_view from, const SqlFragment& scope) const;

  // Turns the rows of Statement into a page: drops the extra row, and returns the cursor for the
  // next page (nullopt on the last page).
  std::optional<std::string> TakePage(storage::Rows& rows) const;

 private:
  friend Result<ListQuery> ParseListQuery(const EntityDef&, const QueryParams&,
                                          const crypto::FieldCipher&, storage::Dialect,
                                          const ListQueryOptions&);

  std::string Column(const SortKey& key) const;

  SqlFragment filter_;
  SqlFragment after_cursor_;
  std::string order_by_;
  std::vector<SortKey> sort_;
  std::vector<const FieldDef*> sensitive_lookups_;
  std::string sort_spec_;  // canonical sort text, bound into cursors
  std::string qualifier_;
  std::string id_column_;
  int limit_ = kDefaultPageSize;
};

// Parses list parameters against `entity`. `dialect` selects the prefix-match form (an indexable
// range on SQLite, LIKE on PostgreSQL).
// Errors: kInvalidArgument with one violation per bad parameter, field = the parameter name:
//   unknown_parameter (no such field or operator), not_filterable, not_sortable, invalid_value
//   (with the same standardisation as input: a bad date, an unknown option …), invalid_limit,
//   invalid_cursor (malformed, or made for another sort), one_value (a sensitive field given
//   twice), one_sensitive_lookup (a second sensitive field), years_only (a masked_to_year date
//   narrowed finer than a year by a caller who may not unmask).
Result<ListQuery> ParseListQuery(const EntityDef& entity, const QueryParams& params,
                                 const crypto::FieldCipher& cipher, storage::Dialect dialect,
                                 const ListQueryOptions& options = {});

}  // namespace oc::forms
