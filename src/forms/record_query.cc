#include "forms/record_query.h"

#include <boost/json.hpp>

#include <charconv>

#include "crypto/encoding.h"
#include "forms/record_codec.h"

namespace oc::forms {

namespace {

namespace json = boost::json;

constexpr std::string_view kAlways = "1 = 1";

// Escapes LIKE's wildcards and the escape character itself (ESCAPE '\').
std::string EscapeLike(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The smallest string greater than every string that starts with `prefix`, in byte order.
// UTF-8 never contains 0xFF, so incrementing the last byte that is below it suffices.
std::string PrefixUpperBound(std::string prefix) {
  while (!prefix.empty()) {
    unsigned char last = static_cast<unsigned char>(prefix.back());
    if (last < 0xFF) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

void Append(SqlFragment& into, std::string_view sql, storage::Params params = {}) {
  if (!into.sql.empty()) into.sql += " AND ";
  into.sql += sql;
  into.params.insert(into.params.end(), std::make_move_iterator(params.begin()),
                     std::make_move_iterator(params.end()));
}

FieldViolation ParamViolation(std::string_view parameter, std::string code, Message message) {
  return {std::string(parameter), std::move(code), std::move(message)};
}

std::string Placeholders(size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

json::value CursorValue(const storage::Value& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return *i;
  if (const auto* s = std::get_if<std::string>(&value)) return json::string(*s);
  return nullptr;
}

std::optional<storage::Value> StorageValue(const json::value& value) {
  if (value.is_null()) return storage::Value(storage::Null{});
  if (value.is_int64()) return storage::Value(value.get_int64());
  if (const auto* s = value.if_string()) return storage::Value(std::string(*s));
  return std::nullopt;
}

}  // namespace

std::string ListQuery::Column(const SortKey& key) const {
  const std::string& column = key.field ? key.field->column : id_column_;
  return qualifier_.empty() ? column : qualifier_ + "." + column;
}

SqlFragment ListQuery::Statement(std::string_view select_list, std::string_view from,
                                 const SqlFragment& scope) const {
  SqlFragment out;
  out.sql = "SELECT " + std::string(select_list) + " FROM " + std::string(from) + " WHERE (" +
            (scope.sql.empty() ? std::string(kAlways) : scope.sql) + ") AND (" + filter_.sql +
            ") AND (" + after_cursor_.sql + ") ORDER BY " + order_by_ + " LIMIT " +
            std::to_string(limit_ + 1);
  out.params = scope.params;
  out.params.insert(out.params.end(), filter_.params.begin(), filter_.params.end());
  out.params.insert(out.params.end(), after_cursor_.params.begin(), after_cursor_.params.end());
  return out;
}

SqlFragment ListQuery::CountStatement(std::string_view from, const SqlFragment& scope) const {
  SqlFragment out;
  out.sql = "SELECT COUNT(*) FROM " + std::string(from) + " WHERE (" +
            (scope.sql.empty() ? std::string(kAlways) : scope.sql) + ") AND (" + filter_.sql + ")";
  out.params = scope.params;
  out.params.insert(out.params.end(), filter_.params.begin(), filter_.params.end());
  return out;
}

std::optional<std::string> ListQuery::TakePage(storage::Rows& rows) const {
  if (rows.size() <= static_cast<size_t>(limit_)) return std::nullopt;
  rows.erase(rows.begin() + limit_, rows.end());
  const storage::Row& last = rows.back();
  json::array values;
  for (const SortKey& key : sort_) {
    values.push_back(CursorValue(last.at(key.field ? key.field->column : id_column_)));
  }
  return crypto::HexEncode(json::serialize(json::object{{"s", sort_spec_}, {"v", values}}));
}

Result<ListQuery> ParseListQuery(const EntityDef& entity, const QueryParams& params,
                                 const crypto::FieldCipher& cipher, storage::Dialect dialect,
                                 const ListQueryOptions& options) {
  ListQuery query;
  query.qualifier_ = options.qualifier;
  query.id_column_ = options.id_column;
  std::vector<FieldViolation> violations;
  auto column_of = [&](std::string_view column) {
    return options.qualifier.empty() ? std::string(column)
                                     : options.qualifier + "." + std::string(column);
  };

  // Exact filters by field, so repeated parameters become one IN (any of the values).
  std::vector<std::pair<const FieldDef*, std::vector<storage::Value>>> exact;
  std::optional<std::string> sort_text;
  std::optional<std::string> cursor_text;

  for (const auto& [name, value] : params) {
    if (options.caller_params.contains(name)) continue;
    if (name == "limit") {
      int limit = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (ec != std::errc() || end != value.data() + value.size() || limit < 1 ||
          limit > kMaxPageSize) {
        violations.push_back(ParamViolation(name, "invalid_limit",
                                            {"每页条数须为 1 到 500", "limit must be 1 to 500"}));
      } else {
        query.limit_ = limit;
      }
      continue;
    }
    if (name == "sort") {
      sort_text = value;
      continue;
    }
    if (name == "cursor") {
      cursor_text = value;
      continue;
    }

    std::string_view field_name = name;
    std::string_view op;
    if (size_t dot = field_name.rfind('.'); dot != std::string_view::npos) {
      op = field_name.substr(dot + 1);
      field_name = field_name.substr(0, dot);
    }
    const FieldDef* field = entity.Find(field_name);
    const bool known_op = op.empty() || op == "from" || op == "to" || op == "prefix";
    if (!field || !known_op) {
      violations.push_back(ParamViolation(
          name, "unknown_parameter",
          {"未知的查询参数：" + name, "Unknown query parameter: " + name}));
      continue;
    }
    if (!field->filterable) {
      violations.push_back(ParamViolation(
          name, "not_filterable",
          {field->label.zh_cn + "不能用于筛选", field->label.en_us + " cannot be filtered on"}));
      continue;
    }
    const bool is_text = field->type == FieldType::kText || field->type == FieldType::kLongText;
    if (((op == "from" || op == "to") && !IsRangeType(field->type)) ||
        (op == "prefix" && (!is_text || field->sensitive))) {
      violations.push_back(ParamViolation(
          name, "unknown_parameter",
          {field->label.zh_cn + "不支持这种筛选：" + name,
           field->label.en_us + " does not support the filter " + name}));
      continue;
    }

    if (op == "prefix") {
      auto prefix = StandardiseText(*field, value);
      if (!prefix || prefix->empty()) {
        violations.push_back(ParamViolation(
            name, "invalid_value", {"前缀不能为空或无效", "The prefix is empty or invalid"}));
        continue;
      }
      const std::string column = column_of(field->column);
      if (dialect == storage::Dialect::kSqlite) {
        // A byte range is what SQLite's LIKE optimisation would need case_sensitive_like for;
        // written out, it uses the column's index and is case-sensitive like PostgreSQL's LIKE.
        Append(query.filter_, column + " >= ? AND " + column + " < ?",
               {*prefix, PrefixUpperBound(*prefix)});
      } else {
        Append(query.filter_, column + " LIKE ? ESCAPE '\\'", {EscapeLike(*prefix) + "%"});
      }
      continue;
    }

    auto decoded = DecodeText(*field, value, name);
    if (!decoded) {
      for (FieldViolation& v : decoded.error().field_violations) violations.push_back(v);
      continue;
    }
    if (field->masked_to_year && !options.may_unmask) {
      // A birth date finer than its year would, with the masked ID number, rebuild the number.
      const std::string& date = std::get<std::string>(*decoded);
      const bool whole_year =
          (op == "from" && date.ends_with("-01-01")) || (op == "to" && date.ends_with("-12-31"));
      if (!whole_year) {
        violations.push_back(ParamViolation(
            name, "years_only",
            {field->label.zh_cn + "只能按整年筛选（如 .from=1980-01-01、.to=1989-12-31）",
             field->label.en_us + " can be narrowed to whole years only (.from=1980-01-01, "
                                  ".to=1989-12-31)"}));
        continue;
      }
    }
    if (op == "from" || op == "to") {
      Append(query.filter_, column_of(field->column) + (op == "from" ? " >= ?" : " <= ?"),
             {std::move(*decoded)});
      continue;
    }
    auto it = std::find_if(exact.begin(), exact.end(),
                           [&](const auto& entry) { return entry.first == field; });
    if (field->sensitive) {
      // One candidate per request: repeated or combined, exact lookups would test hundreds of
      // guesses for a masked value at once.
      if (it != exact.end()) {
        violations.push_back(ParamViolation(
            name, "one_value",
            {field->label.zh_cn + "每次只能查询一个值", field->label.en_us + " takes one value"}));
        continue;
      }
      if (!query.sensitive_lookups_.empty()) {
        violations.push_back(ParamViolation(
            name, "one_sensitive_lookup",
            {"每次只能按一项个人敏感信息查询", "Look up one item of personal data at a time"}));
        continue;
      }
      query.sensitive_lookups_.push_back(field);
    }
    if (it == exact.end()) {
      exact.push_back({field, {}});
      it = std::prev(exact.end());
    }
    if (field->sensitive) {
      const std::string& plain = std::get<std::string>(*decoded);
      it->second.push_back(storage::Blob{cipher.BlindIndex(plain, CipherContext(entity, *field))});
    } else {
      it->second.push_back(std::move(*decoded));
    }
  }

  for (auto& [field, values] : exact) {
    if (field->type == FieldType::kMultiSelect) {
      // Any of the values: each is one "|value|" inside the stored list.
      const std::string column = column_of(field->column);
      std::string sql;
      storage::Params like_params;
      for (storage::Value& value : values) {
        if (!sql.empty()) sql += " OR ";
        sql += column + " LIKE ? ESCAPE '\\'";
        like_params.push_back("%|" + EscapeLike(std::get<std::string>(value)) + "|%");
      }
      Append(query.filter_, "(" + sql + ")", std::move(like_params));
      continue;
    }
    const std::string column =
        column_of(field->sensitive ? BlindIndexColumn(*field) : field->column);
    std::string sql = values.size() == 1
                          ? column + " = ?"
                          : column + " IN (" + Placeholders(values.size()) + ")";
    if (field->sensitive && dialect == storage::Dialect::kSqlite) {
      // A blind index matches a handful of rows, but SQLite without ANALYZE statistics rates
      // every equality alike and prefers an index that also yields the sort order — for an
      // account manager's list, the owner index, which reads all of their customers. The
      // likelihood tells the planner how selective this column is.
      sql = "likelihood(" + sql + ", 0.000001)";
    }
    Append(query.filter_, sql, std::move(values));
  }
  if (query.filter_.sql.empty()) query.filter_.sql = kAlways;

  // Sort keys, then the id as the last key unless the caller named it.
  bool id_named = false;
  if (sort_text) {
    std::vector<std::string_view> items;
    std::string_view rest = *sort_text;
    for (size_t comma; (comma = rest.find(',')) != std::string_view::npos;) {
      items.push_back(rest.substr(0, comma));
      rest.remove_prefix(comma + 1);
    }
    items.push_back(rest);
    for (std::string_view item : items) {
      SortKey key;
      if (!item.empty() && item[0] == '-') {
        key.descending = true;
        item.remove_prefix(1);
      }
      if (item == "id") {
        // Unique, so any key after it could never decide the order.
        id_named = true;
        query.sort_.push_back(key);
        break;
      }
      const FieldDef* field = entity.Find(item);
      const bool repeated = std::any_of(query.sort_.begin(), query.sort_.end(),
                                        [&](const SortKey& k) { return k.field == field; });
      // The order, and the cursor that carries the sort keys, would tell the full date.
      const bool hidden = field && field->masked_to_year && !options.may_unmask;
      if (!field || !field->sortable || !CanSort(*field) || repeated || hidden) {
        violations.push_back(ParamViolation(
            "sort", "not_sortable",
            {"不能按此排序：" + std::string(item), "Cannot sort by: " + std::string(item)}));
        break;
      }
      key.field = field;
      query.sort_.push_back(key);
    }
  }
  if (!id_named) query.sort_.push_back(SortKey{});
  for (const SortKey& key : query.sort_) {
    if (!query.order_by_.empty()) {
      query.order_by_ += ", ";
      query.sort_spec_ += ",";
    }
    // NULL is the smallest value on both backends (SQLite's native order; PostgreSQL's is the
    // opposite and is overridden), so the keyset condition below is one formula for both.
    query.order_by_ += query.Column(key) +
                       (key.descending ? " DESC" : " ASC") +
                       (key.field ? (key.descending ? " NULLS LAST" : " NULLS FIRST") : "");
    query.sort_spec_ += (key.descending ? "-" : "") +
                        (key.field ? key.field->name : std::string("id"));
  }

  query.after_cursor_.sql = kAlways;
  if (cursor_text) {
    std::optional<json::array> values;
    if (auto bytes = crypto::HexDecode(*cursor_text)) {
      json::error_code ec;
      json::value parsed = json::parse(*bytes, ec);
      const json::object* object = ec ? nullptr : parsed.if_object();
      const json::value* spec = object ? object->if_contains("s") : nullptr;
      const json::value* v = object ? object->if_contains("v") : nullptr;
      if (spec && spec->is_string() && spec->get_string() == query.sort_spec_ && v &&
          v->is_array() && v->get_array().size() == query.sort_.size()) {
        values = v->get_array();
      }
    }
    std::vector<storage::Value> cursor;
    if (values) {
      for (const json::value& value : *values) {
        auto stored = StorageValue(value);
        if (!stored) break;
        cursor.push_back(std::move(*stored));
      }
    }
    if (!values || cursor.size() != query.sort_.size() ||
        !std::holds_alternative<int64_t>(cursor.back())) {
      violations.push_back(ParamViolation(
          "cursor", "invalid_cursor",
          {"分页游标无效或与排序不符", "The cursor is invalid or was made for another sort"}));
    } else {
      // Rows after the cursor in (k1, …, kn, id) order: for some i, equal on the keys before i
      // and after it on key i. Built from the last key outwards: g_i OR (e_i AND (…)).
      SqlFragment condition;
      for (size_t i = query.sort_.size(); i-- > 0;) {
        const SortKey& key = query.sort_[i];
        const std::string column = query.Column(key);
        const storage::Value& at = cursor[i];
        const bool null = std::holds_alternative<storage::Null>(at);
        SqlFragment greater;
        if (!key.descending) {
          greater = null ? SqlFragment{column + " IS NOT NULL", {}}
                         : SqlFragment{column + " > ?", {at}};
        } else {
          greater = null ? SqlFragment{"1 = 0", {}}
                         : SqlFragment{"(" + column + " < ? OR " + column + " IS NULL)", {at}};
        }
        if (condition.sql.empty()) {
          condition = std::move(greater);
          continue;
        }
        SqlFragment equal = null ? SqlFragment{column + " IS NULL", {}}
                                 : SqlFragment{column + " = ?", {at}};
        SqlFragment combined;
        combined.sql = "(" + greater.sql + " OR (" + equal.sql + " AND (" + condition.sql + ")))";
        combined.params = std::move(greater.params);
        combined.params.insert(combined.params.end(), equal.params.begin(), equal.params.end());
        combined.params.insert(combined.params.end(), condition.params.begin(),
                               condition.params.end());
        condition = std::move(combined);
      }
      query.after_cursor_ = std::move(condition);
    }
  }

  if (!violations.empty()) return InvalidArgument(std::move(violations));
  return query;
}

}  // namespace oc::forms
