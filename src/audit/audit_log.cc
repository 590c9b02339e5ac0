#include "audit/audit_log.h"

#include <boost/json.hpp>

#include "crypto/digest.h"
#include "crypto/encoding.h"

namespace oc::audit {

namespace {

constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";
constexpr std::string_view kSecretPlaceholder = "******";

// Length-prefixed so that no two different entries serialise to the same bytes.
void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

// Entries are hashed by the rule in force when they were written; every rule stays verifiable.
//   1  SHA-256 over every field, computed as the entry is linked.
//   2  SHA-256 over the link (rule, previous hash, id, time, entity id) and the content digest:
//      the SHA-256 of the fields known before the write (actor, action, changes, detail), which
//      Prepare computes outside the transaction. A bulk import's changes are most of what is
//      hashed, and the one SQLite writer no longer hashes them.
//   3  As 2, with the key id in the link, sealed with an HMAC under the audit-chain key of that
//      master key instead of a plain hash: without the key, nobody can compute a valid entry.
constexpr int64_t kHashVersion = 3;
constexpr int64_t kFirstKeyedVersion = 3;

// The fields an entry's author gave, in hashing order; rule 1 also hashed the entity id among
// them, rule 2 hashes it in the link.
void AppendContent(std::string& canonical, const Entry& e, bool with_entity_id) {
  AppendField(canonical, e.user_id ? std::to_string(*e.user_id) : std::string());
  AppendField(canonical, e.username);
  AppendField(canonical, e.action);
  AppendField(canonical, e.entity_type);
  if (with_entity_id) AppendField(canonical, e.entity_id);
  AppendField(canonical, e.changes_json);
  AppendField(canonical, e.detail);
  AppendField(canonical, e.request_id);
  AppendField(canonical, e.client_ip);
}

std::string HashV1(const Entry& e) {
  std::string canonical;
  canonical.reserve(256 + e.changes_json.size() + e.detail.size());
  AppendField(canonical, e.prev_hash);
  AppendField(canonical, std::to_string(e.id));
  AppendField(canonical, std::to_string(ToUnixMicros(e.at)));
  AppendContent(canonical, e, /*with_entity_id=*/true);
  return crypto::Sha256Hex(canonical);
}

std::string ContentDigest(const Entry& e) {
  std::string canonical;
  canonical.reserve(128 + e.changes_json.size() + e.detail.size());
  AppendContent(canonical, e, /*with_entity_id=*/false);
  return crypto::Sha256(canonical);
}

// The version is hashed too, so relabelling an entry as written by another rule breaks it.
std::string HashV2(const Entry& e, std::string_view content_digest) {
  std::string canonical;
  canonical.reserve(160);
  AppendField(canonical, "2");
  AppendField(canonical, e.prev_hash);
  AppendField(canonical, std::to_string(e.id));
  AppendField(canonical, std::to_string(ToUnixMicros(e.at)));
  AppendField(canonical, e.entity_id);
  AppendField(canonical, content_digest);
  return crypto::Sha256Hex(canonical);
}

// The MAC input of rule 3: the link as rule 2 hashes it, with the key id.
std::string SealedLink(const Entry& e, std::string_view content_digest, uint32_t key_id) {
  std::string canonical;
  canonical.reserve(176);
  AppendField(canonical, std::to_string(e.hash_version));
  AppendField(canonical, e.prev_hash);
  AppendField(canonical, std::to_string(e.id));
  AppendField(canonical, std::to_string(ToUnixMicros(e.at)));
  AppendField(canonical, e.entity_id);
  AppendField(canonical, content_digest);
  AppendField(canonical, std::to_string(key_id));
  return canonical;
}

// The hash `e` should carry by the rule it names, or why it cannot be computed: an unknown rule,
// or a key that is not configured.
struct Expected {
  std::optional<std::string> hash;
  std::string problem;
};

Expected ExpectedHash(const Entry& e, const crypto::MacKeyring& keys) {
  switch (e.hash_version) {
    case 1:
      return {HashV1(e), {}};
    case 2:
      return {HashV2(e, ContentDigest(e)), {}};
    case 3: {
      if (!e.hash_key_id || *e.hash_key_id < 0 || *e.hash_key_id > UINT32_MAX) {
        return {std::nullopt, "sealed entry names no key (the entry was modified)"};
      }
      const auto key_id = static_cast<uint32_t>(*e.hash_key_id);
      auto mac = keys.MacWith(key_id, SealedLink(e, ContentDigest(e), key_id));
      if (!mac) {
        return {std::nullopt, "sealed with master key " + std::to_string(key_id) +
                                  ", which is not configured (keep old keys after a rotation)"};
      }
      return {crypto::HexEncode(*mac), {}};
    }
    default:
      return {std::nullopt, "unknown hash version " + std::to_string(e.hash_version) +
                                " (the entry was modified, or written by a newer version)"};
  }
}

// Appends `value` as a JSON string, escaped as boost::json::serialize escapes it, without a
// temporary string per value.
void AppendJsonString(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// A changed value as the trail shows it: null when absent, masked or withheld by sensitivity.
void AppendPresented(std::string& out, const std::optional<std::string>& value,
                     Sensitivity sensitivity) {
  if (!value) {
    out += "null";
    return;
  }
  switch (sensitivity) {
    case Sensitivity::kPlain:
      AppendJsonString(out, *value);
      return;
    case Sensitivity::kSecret: AppendJsonString(out, kSecretPlaceholder); return;
  }
}

// Written directly rather than through a JSON document: a customer created in bulk has some 25
// changes, and building and freeing a document for them cost more than encrypting the record.
std::string ChangesJson(const std::vector<FieldChange>& changes) {
  std::string out;
  out.reserve(64 * changes.size() + 2);
  out += '[';
  for (const auto& change : changes) {
    if (out.size() > 1) out += ',';
    out += "{\"field\":";
    AppendJsonString(out, change.field);
    out += ",\"before\":";
    AppendPresented(out, change.before, change.sensitivity);
    out += ",\"after\":";
    AppendPresented(out, change.after, change.sensitivity);
    out += '}';
  }
  out += ']';
  return out;
}

Entry EntryFromRow(const storage::Row& row) {
  Entry e;
  e.id = row.Int("id");
  e.at = FromUnixMicros(row.Int("at_us"));
  e.user_id = row.OptInt("user_id");
  e.username = row.Text("username");
  e.action = row.Text("action");
  e.entity_type = row.Text("entity_type");
  e.entity_id = row.Text("entity_id");
  e.changes_json = row.Text("changes");
  e.detail = row.Text("detail");
  e.request_id = row.Text("request_id");
  e.client_ip = row.Text("client_ip");
  e.prev_hash = row.Text("prev_hash");
  e.hash = row.Text("hash");
  e.hash_version = row.Int("hash_version");
  e.hash_key_id = row.OptInt("hash_key_id");
  return e;
}

constexpr std::string_view kColumns =
    "id, at_us, user_id, username, action, entity_type, entity_id, changes, detail, request_id, "
    "client_ip, prev_hash, hash, hash_version, hash_key_id";

}  // namespace

std::vector<storage::Migration> Migrations() {
  // Migrations are frozen text: a change to the audit tables needs a migration of its own.
  return {{
              .id = "audit_0001_events",
              .sql = R"sql(
CREATE TABLE audit_events (
  id {{bigint}} PRIMARY KEY,
  at_us {{bigint}} NOT NULL,
  user_id {{bigint}},
  username TEXT NOT NULL,
  action TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  changes TEXT NOT NULL,
  detail TEXT NOT NULL,
  request_id TEXT NOT NULL,
  client_ip TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_events_by_entity ON audit_events (entity_type, entity_id, id);
CREATE INDEX audit_events_by_user ON audit_events (user_id, id);
CREATE INDEX audit_events_by_action ON audit_events (action, id);
CREATE INDEX audit_events_by_time ON audit_events (at_us);
CREATE TABLE audit_head (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  last_id {{bigint}} NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (singleton, last_id, last_hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
)sql",
          },
          // Entries written before this migration were hashed by rule 1.
          {
              .id = "audit_0002_hash_version",
              .sql = "ALTER TABLE audit_events ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1",
          },
          // The master key id whose audit-chain key sealed an entry (rule 3); null before.
          {
              .id = std::string(kKeyedChainMigration),
              .sql = "ALTER TABLE audit_events ADD COLUMN hash_key_id {{bigint}}",
          }};
}

Status AuditLog::Append(storage::Tx& tx, const Actor& actor, const Event& event) const {
  Entry entry = Prepare(actor, event);
  Entry* const one[] = {&entry};
  return AppendPrepared(tx, one);
}

Entry AuditLog::Prepare(const Actor& actor, const Event& event) const {
  Entry e;
  e.user_id = actor.user_id;
  e.username = actor.username;
  e.action = std::string(ActionName(event.action));
  e.entity_type = event.entity_type;
  e.entity_id = event.entity_id;
  e.changes_json = ChangesJson(event.changes);
  e.detail = event.detail;
  e.request_id = actor.request_id;
  e.client_ip = actor.client_ip;
  e.content_digest = ContentDigest(e);
  return e;
}

Status AuditLog::AppendPrepared(storage::Tx& tx, std::span<Entry* const> entries) const {
  if (entries.empty()) return Ok();
  // FOR UPDATE makes concurrent PostgreSQL appenders queue on the head row; SQLite already runs
  // one writer at a time.
  std::string_view head_sql =
      tx.dialect() == storage::Dialect::kPostgres
          ? "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1 FOR UPDATE"
          : "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1";
  ASSIGN_OR_RETURN(auto head, tx.QueryOne(head_sql));
  if (!head) return Internal("audit_head row is missing");

  int64_t last_id = head->Int("last_id");
  std::string last_hash = head->Text("last_hash");
  const Instant now = clock_.Now();
  for (Entry* entry : entries) {
    Entry& e = *entry;
    e.id = ++last_id;
    e.prev_hash = std::move(last_hash);
    e.at = now;
    e.hash_version = kHashVersion;
    const uint32_t key_id = keys_.active_key_id();
    e.hash_key_id = key_id;
    e.hash = crypto::HexEncode(keys_.Mac(
        SealedLink(e, e.content_digest.empty() ? ContentDigest(e) : e.content_digest, key_id)));
    last_hash = e.hash;
    // The entry's longest strings are lent to the statement and taken back, not copied.
    storage::Params params;
    params.reserve(15);
    params.emplace_back(e.id);
    params.emplace_back(ToUnixMicros(e.at));
    params.emplace_back(e.user_id ? storage::Value(*e.user_id) : storage::Value(storage::Null{}));
    for (const std::string* text : {&e.username, &e.action, &e.entity_type, &e.entity_id}) {
      params.emplace_back(*text);
    }
    params.emplace_back(std::move(e.changes_json));
    params.emplace_back(e.detail);
    params.emplace_back(e.request_id);
    params.emplace_back(e.client_ip);
    params.emplace_back(std::move(e.prev_hash));
    params.emplace_back(e.hash);
    params.emplace_back(e.hash_version);
    params.emplace_back(int64_t{key_id});
    auto inserted = tx.Execute(
        "INSERT INTO audit_events (id, at_us, user_id, username, action, entity_type, "
        "entity_id, changes, detail, request_id, client_ip, prev_hash, hash, hash_version, "
        "hash_key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params);
    e.changes_json = std::move(std::get<std::string>(params[7]));
    e.prev_hash = std::move(std::get<std::string>(params[11]));
    RETURN_IF_ERROR(inserted);
  }
  RETURN_IF_ERROR(tx.Execute("UPDATE audit_head SET last_id = ?, last_hash = ? WHERE singleton = 1",
                             {last_id, last_hash}));
  return Ok();
}

Result<std::vector<Entry>> AuditLog::List(storage::Db& db, const Filter& filter) const {
  // The API pages by up to 500 and asks for one more row to learn whether a next page exists.
  if (filter.limit < 1 || filter.limit > 1000) {
    return InvalidField("limit", "out_of_range",
                        {"limit 必须在 1 到 1000 之间", "limit must be between 1 and 1000"});
  }
  std::string sql = "SELECT " + std::string(kColumns) + " FROM audit_events WHERE 1 = 1";
  storage::Params params;
  if (filter.user_id) {
    sql += " AND user_id = ?";
    params.emplace_back(*filter.user_id);
  }
  if (!filter.entity_type.empty()) {
    sql += " AND entity_type = ?";
    params.emplace_back(filter.entity_type);
  }
  if (!filter.entity_id.empty()) {
    sql += " AND entity_id = ?";
    params.emplace_back(filter.entity_id);
  }
  if (!filter.action.empty()) {
    if (filter.action.back() == '.') {
      // A prefix range instead of LIKE, so '%' or '_' in the filter mean nothing special.
      sql += " AND action >= ? AND action < ?";
      params.emplace_back(filter.action);
      std::string upper = filter.action;
      upper.back() = '.' + 1;
      params.emplace_back(upper);
    } else {
      sql += " AND action = ?";
      params.emplace_back(filter.action);
    }
  }
  if (filter.from) {
    sql += " AND at_us >= ?";
    params.emplace_back(ToUnixMicros(*filter.from));
  }
  if (filter.to) {
    sql += " AND at_us < ?";
    params.emplace_back(ToUnixMicros(*filter.to));
  }
  if (filter.before_id) {
    sql += " AND id < ?";
    params.emplace_back(*filter.before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(int64_t{filter.limit});

  return db.ReadValue<std::vector<Entry>>([&](storage::Tx& tx) -> Result<std::vector<Entry>> {
    ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    std::vector<Entry> entries;
    entries.reserve(rows.size());
    for (const auto& row : rows) entries.push_back(EntryFromRow(row));
    return entries;
  });
}

Result<std::vector<Entry>> AuditLog::History(storage::Db& db, std::string_view entity_type,
                                             std::string_view entity_id,
                                             std::optional<std::pair<Instant, int64_t>> before,
                                             int limit) const {
  if (limit < 1 || limit > 500) {
    return InvalidField("limit", "out_of_range",
                        {"limit 必须在 1 到 500 之间", "limit must be between 1 and 500"});
  }
  std::string sql = "SELECT " + std::string(kColumns) +
                    " FROM audit_events WHERE entity_type = ? AND entity_id = ?";
  storage::Params params{std::string(entity_type), std::string(entity_id)};
  if (before) {
    sql += " AND (at_us < ? OR (at_us = ? AND id < ?))";
    int64_t at = ToUnixMicros(before->first);
    params.insert(params.end(), {at, at, before->second});
  }
  sql += " ORDER BY at_us DESC, id DESC LIMIT ?";
  params.emplace_back(int64_t{limit});
  return db.ReadValue<std::vector<Entry>>([&](storage::Tx& tx) -> Result<std::vector<Entry>> {
    ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    std::vector<Entry> entries;
    for (const auto& row : rows) entries.push_back(EntryFromRow(row));
    return entries;
  });
}

Result<VerifyReport> AuditLog::Verify(storage::Db& db) const {
  VerifyReport report;
  std::string expected_prev(kGenesisHash);
  int64_t expected_id = 1;
  constexpr int64_t kPage = 2000;
  const std::string page_sql = "SELECT " + std::string(kColumns) +
                               " FROM audit_events WHERE id >= ? ORDER BY id LIMIT ?";
  auto fail = [&](int64_t id, std::string problem) {
    report.intact = false;
    report.first_broken_id = id;
    report.problem = std::move(problem);
  };

  bool keyed = false;  // a keyed entry has been seen
  bool newest_keyed = false;
  while (report.intact) {
    ASSIGN_OR_RETURN(auto rows, db.ReadValue<storage::Rows>([&](storage::Tx& tx) {
      return tx.Query(page_sql, {expected_id, kPage});
    }));
    for (const auto& row : rows) {
      Entry e = EntryFromRow(row);
      if (e.id != expected_id) {
        fail(expected_id, "entry " + std::to_string(expected_id) + " is missing (next is " +
                              std::to_string(e.id) + ")");
        break;
      }
      if (e.prev_hash != expected_prev) {
        fail(e.id, "link to the previous entry does not match");
        break;
      }
      newest_keyed = e.hash_version >= kFirstKeyedVersion;
      if (keyed && !newest_keyed) {
        // Only someone without the key writes an unkeyed entry after keyed ones.
        fail(e.id, "unkeyed entry after keyed ones (the chain was rewritten without the key)");
        break;
      }
      keyed = keyed || newest_keyed;
      Expected expected = ExpectedHash(e, keys_);
      if (!expected.hash) {
        fail(e.id, expected.problem);
        break;
      }
      if (!crypto::ConstantTimeEquals(*expected.hash, e.hash)) {
        fail(e.id, "content does not match its hash (the entry was modified)");
        break;
      }
      expected_prev = e.hash;
      ++expected_id;
      ++report.entries_checked;
    }
    if (static_cast<int64_t>(rows.size()) < kPage) break;
  }
  if (!report.intact) return report;
  if (report.entries_checked > 0 && !newest_keyed) {
    fail(expected_id - 1,
         "the newest entry is not keyed: the chain was rewritten without the key, or no entry "
         "has been written since the upgrade (start the server once)");
    return report;
  }

  ASSIGN_OR_RETURN(auto head, db.ReadValue<std::optional<storage::Row>>([](storage::Tx& tx) {
    return tx.QueryOne("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1");
  }));
  if (!head) {
    fail(expected_id, "the chain head record is missing");
  } else if (head->Int("last_id") != expected_id - 1 || head->Text("last_hash") != expected_prev) {
    fail(expected_id, "entries after " + std::to_string(expected_id - 1) +
                          " are missing (the chain head records " +
                          std::to_string(head->Int("last_id")) + ")");
  }
  report.head_hash = expected_prev;
  return report;
}

Status AuditLog::SealUpgradedChain(storage::Db& db) const {
  return db.Write([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto newest, tx.QueryOne("SELECT hash_version FROM audit_events ORDER BY id "
                                              "DESC LIMIT 1"));
    if (!newest || newest->Int(0) >= kFirstKeyedVersion) return Ok();
    return Append(tx, Actor{.username = "system"},
                  {.action = Action::kAuditChainKeyed,
                   .detail = "entries before this one were hashed without a key; from here on "
                             "every entry is sealed under the master key"});
  });
}

}  // namespace oc::audit
