// Runs the data-driven conformance suite in tests/testdata/expr/*.test: one parameterised test,
// one case per line. The format is described in tests/testdata/expr/README.md.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/clock.h"
#include "expr/expr.h"

namespace oc::expr {
namespace {

struct FieldDecl {
  std::string name;
  Type type;
  std::string value_source;  // a constant expression; empty for null
};

struct Case {
  std::string file;
  int line = 0;
  std::string expression;
  std::string expectation;  // everything after "=>"
  std::vector<FieldDecl> fields;
  std::optional<Date> today;
  std::optional<Instant> now;
  std::vector<Date> holidays;
  std::vector<Date> workdays;
  uint8_t work_week = EvalContext().work_week;
  Budget budget;
  std::optional<Type> expected_type;
};

// Keeps failure output readable: "arithmetic.test:12: 1 + 2 => integer 3".
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.file << ".test:" << c.line << ": " << c.expression << " => " << c.expectation;
}

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<Date> ParseDates(std::istringstream& in) {
  std::vector<Date> out;
  std::string word;
  while (in >> word) {
    auto d = Date::Parse(word);
    if (d) out.push_back(*d);
  }
  return out;
}

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(OC_EXPR_TESTDATA_DIR)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string raw;
    Case state;
    state.file = path.stem().string();
    int line_no = 0;
    while (std::getline(in, raw)) {
      ++line_no;
      std::string line = Trim(raw);
      if (line.empty() || line[0] == '#') continue;
      if (line.starts_with("=> ")) line = " " + line;  // an empty expression
      size_t arrow = line.rfind(" => ");
      if (arrow == std::string::npos) {
        std::istringstream words(line);
        std::string directive;
        words >> directive;
        if (directive == "field") {
          FieldDecl f;
          std::string rest;
          std::getline(words, rest);
          rest = Trim(rest);
          if (rest.starts_with("{")) {
            size_t close = rest.find('}');
            f.name = rest.substr(1, close - 1);
            rest = Trim(rest.substr(close + 1));
          } else {
            size_t space = rest.find(' ');
            f.name = rest.substr(0, space);
            rest = Trim(rest.substr(space));
          }
          size_t eq = rest.find('=');
          f.type = *Type::Parse(Trim(rest.substr(0, eq)));
          if (eq != std::string::npos) f.value_source = Trim(rest.substr(eq + 1));
          std::erase_if(state.fields, [&](const FieldDecl& g) { return g.name == f.name; });
          state.fields.push_back(f);
        } else if (directive == "clear") {
          state.fields.clear();
        } else if (directive == "today") {
          std::string d;
          words >> d;
          state.today = Date::Parse(d);
        } else if (directive == "now") {
          std::string t;
          words >> t;
          Instant i;
          if (ParseInstant(t, &i)) {
            state.now = i;
          } else {
            state.now.reset();
          }
        } else if (directive == "holidays") {
          state.holidays = ParseDates(words);
        } else if (directive == "workdays") {
          state.workdays = ParseDates(words);
        } else if (directive == "workweek") {
          std::string days;
          words >> days;
          state.work_week = 0;
          for (char d : days) {
            if (d >= '1' && d <= '7') state.work_week |= uint8_t(1u << (d - '1'));
          }
        } else if (directive == "budget") {
          std::string what;
          uint64_t n = 0;
          words >> what >> n;
          if (what == "steps") state.budget.max_steps = n;
          if (what == "text") state.budget.max_text_bytes = n;
          if (what == "list") state.budget.max_list_items = n;
          if (what == "regex_input") state.budget.max_regex_input_chars = n;
          if (what == "default") state.budget = Budget();
        } else if (directive == "expect_type") {
          std::string t;
          words >> t;
          state.expected_type = Type::Parse(t);
        } else {
          ADD_FAILURE() << path << ":" << line_no << ": unknown directive " << directive;
        }
        continue;
      }
      Case c = state;
      c.line = line_no;
      c.expression = line.substr(0, arrow);
      c.expectation = Trim(line.substr(arrow + 4));
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

class ConformanceTest : public ::testing::TestWithParam<Case> {};

// Evaluates a field's constant initialiser with the language itself.
Value Constant(const std::string& source) {
  if (source.empty()) return Value();
  Schema empty;
  auto compiled = Compile(source, empty);
  EXPECT_TRUE(compiled.has_value()) << "bad field value: " << source;
  if (!compiled) return Value();
  Record record(empty);
  EvalContext ctx;
  auto v = Evaluate(*compiled, record, ctx);
  EXPECT_TRUE(v.has_value()) << "bad field value: " << source;
  return v ? *v : Value();
}

// Whether a value has exactly the kinds its static type promises, list elements included.
bool Conforms(const Value& v, Type t) {
  if (v.is_null() || t.kind == TypeKind::kNull) return true;
  if (v.kind() != t.kind) return false;
  if (t.kind != TypeKind::kList) return true;
  for (const Value& item : v.list()) {
    if (!Conforms(item, Type::Of(t.element))) return false;
  }
  return true;
}

std::string Describe(const Diagnostic& d) {
  return d.code + " @" + std::to_string(d.line) + ":" + std::to_string(d.column) + " " +
         d.message.en_us + " / " + d.message.zh_cn;
}

// Checks "code [@line:col] [+length] [~substring]" against a diagnostic.
void ExpectDiagnostic(const Diagnostic& d, const std::string& spec) {
  std::istringstream in(spec);
  std::string code;
  in >> code;
  EXPECT_EQ(d.code, code) << Describe(d);
  std::string word;
  while (in >> word) {
    if (word.starts_with("@")) {
      EXPECT_EQ("@" + std::to_string(d.line) + ":" + std::to_string(d.column), word)
          << Describe(d);
    } else if (word.starts_with("+")) {
      EXPECT_EQ("+" + std::to_string(d.length), word) << Describe(d);
    } else if (word.starts_with("~")) {
      std::string rest;
      std::getline(in, rest);
      std::string needle = word.substr(1) + rest;
      EXPECT_TRUE(d.message.en_us.find(needle) != std::string::npos ||
                  d.message.zh_cn.find(needle) != std::string::npos)
          << "message lacks '" << needle << "': " << Describe(d);
      break;
    }
  }
}

TEST_P(ConformanceTest, Case) {
  const Case& c = GetParam();
  SCOPED_TRACE(c.file + ".test:" + std::to_string(c.line) + ": " + c.expression);
  std::vector<FieldSchema> fields;
  for (const auto& f : c.fields) fields.push_back({f.name, f.type});
  auto schema = Schema::Create(fields);
  ASSERT_TRUE(schema.has_value());
  Record record(*schema);
  for (const auto& f : c.fields) {
    ASSERT_TRUE(record.Set(f.name, Constant(f.value_source)).has_value()) << f.name;
  }
  CompileOptions options;
  options.expected_type = c.expected_type;
  auto compiled = Compile(c.expression, *schema, options);
  std::istringstream expect(c.expectation);
  std::string kind;
  expect >> kind;
  std::string rest;
  std::getline(expect, rest);
  rest = Trim(rest);
  if (kind == "compile") {
    ASSERT_FALSE(compiled.has_value()) << "compiled to " << compiled->result_type().Name();
    ExpectDiagnostic(compiled.error().front(), rest);
    return;
  }
  ASSERT_TRUE(compiled.has_value()) << Describe(compiled.error().front());
  FakeClock clock(c.now.value_or(Instant()));
  EvalContext ctx;
  ctx.today = c.today;
  ctx.clock = c.now ? &clock : nullptr;
  ctx.holidays = c.holidays;
  ctx.extra_workdays = c.workdays;
  ctx.work_week = c.work_week;
  ctx.budget = c.budget;
  auto value = Evaluate(*compiled, record, ctx);
  if (kind == "error") {
    ASSERT_FALSE(value.has_value()) << "evaluated to " << value->ToLiteral();
    ExpectDiagnostic(value.error(), rest);
    return;
  }
  ASSERT_TRUE(value.has_value()) << Describe(value.error());
  EXPECT_EQ(kind, compiled->result_type().Name());
  EXPECT_EQ(rest, value->ToLiteral());
  EXPECT_TRUE(Conforms(*value, compiled->result_type())) << "value kind differs from type";
  // Explain must agree with Evaluate on every case.
  auto explained = Explain(*compiled, record, ctx);
  ASSERT_TRUE(explained.has_value());
  EXPECT_EQ(explained->value, *value);
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.file + "_" + std::to_string(info.param.line);
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Expr, ConformanceTest, ::testing::ValuesIn(LoadCases()), CaseName);

}  // namespace
}  // namespace oc::expr
