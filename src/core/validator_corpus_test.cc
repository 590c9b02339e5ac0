// Runs the validator cases in tests/testdata/validators/*.json through the server's
// standardisers, one parameterised test per case. The browser's checks run the same files (see
// the README there), so a case that fails here means the files no longer describe the server.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/contact.h"
#include "core/credit_code.h"
#include "core/money.h"
#include "core/resident_id.h"

namespace oc {
namespace {

namespace json = boost::json;

struct Case {
  std::string validator;
  size_t index = 0;  // position in the file's "cases"
  std::string input;
  std::optional<std::string> value;  // accepted: the standardised text
  std::string error;                 // refused: the violation code
  std::string why;
  std::string malformed;  // what is wrong with the case itself, if anything
};

// Keeps failure output readable: money.json case 3 (leading zeros): "007.10".
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.validator << ".json case " << c.index << " (" << c.why << "): \"" << c.input << "\"";
}

std::vector<std::filesystem::path> CorpusFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(OC_VALIDATOR_TESTDATA_DIR)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

json::object ReadCorpus(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value doc = json::parse(text.str(), ec);
  if (ec || !doc.is_object()) return {};
  return doc.get_object();
}

std::string StringMember(const json::object& object, std::string_view key) {
  const json::value* v = object.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  for (const auto& path : CorpusFiles()) {
    const json::object doc = ReadCorpus(path);
    const std::string validator = StringMember(doc, "validator");
    const json::value* list = doc.if_contains("cases");
    if (validator != path.stem().string() || !list || !list->is_array()) {
      cases.push_back({.validator = path.stem().string(),
                       .malformed = "not JSON, or \"validator\" is not the file's name, or no "
                                    "\"cases\" array"});
      continue;
    }
    size_t index = 0;
    for (const json::value& item : list->get_array()) {
      Case c{.validator = validator, .index = index++};
      const json::object* object = item.if_object();
      if (!object) {
        c.malformed = "a case is not an object";
        cases.push_back(std::move(c));
        continue;
      }
      c.input = StringMember(*object, "input");
      c.why = StringMember(*object, "why");
      if (object->contains("value")) c.value = StringMember(*object, "value");
      c.error = StringMember(*object, "error");
      if (!object->contains("input") || c.value.has_value() == !c.error.empty()) {
        c.malformed = "a case needs \"input\" and exactly one of \"value\" and \"error\"";
      }
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

// The server function each file describes, called with its default field name as intake does;
// money as a money field takes it, negatives refused.
Result<std::string> Standardise(std::string_view validator, std::string_view input) {
  if (validator == "resident_id") {
    ASSIGN_OR_RETURN(ResidentIdNumber id, ResidentIdNumber::Parse(input));
    return id.value();
  }
  if (validator == "credit_code") {
    ASSIGN_OR_RETURN(UnifiedSocialCreditCode code, UnifiedSocialCreditCode::Parse(input));
    return code.value();
  }
  if (validator == "mobile") return NormalizeMobile(input);
  if (validator == "phone") return NormalizePhone(input);
  if (validator == "email") return NormalizeEmail(input);
  if (validator == "bank_card") return NormalizeBankCard(input);
  if (validator == "money") {
    ASSIGN_OR_RETURN(Money money, Money::Parse(input, "amount"));
    return money.ToString();
  }
  return Internal("no validator named " + std::string(validator));
}

class ValidatorCorpusTest : public ::testing::TestWithParam<Case> {};

TEST_P(ValidatorCorpusTest, ServerAgreesWithTheCase) {
  const Case& c = GetParam();
  ASSERT_TRUE(c.malformed.empty()) << c.malformed;
  const Result<std::string> result = Standardise(c.validator, c.input);
  if (c.value) {
    ASSERT_TRUE(result) << "refused with "
                        << (result.error().field_violations.empty()
                                ? result.error().internal_detail
                                : result.error().field_violations[0].code);
    EXPECT_EQ(*result, *c.value);
  } else {
    ASSERT_FALSE(result) << "accepted as \"" << *result << "\"";
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(result.error().field_violations.size(), 1u);
    EXPECT_EQ(result.error().field_violations[0].code, c.error);
  }
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  return info.param.validator + "_" + std::to_string(info.param.index);
}

INSTANTIATE_TEST_SUITE_P(Corpus, ValidatorCorpusTest, ::testing::ValuesIn(LoadCases()), CaseName);

TEST(ValidatorCorpusFilesTest, CoverEveryValidatorTheBrowserChecks) {
  std::set<std::string> validators;
  for (const Case& c : LoadCases()) validators.insert(c.validator);
  EXPECT_EQ(validators, (std::set<std::string>{"bank_card", "credit_code", "email", "mobile",
                                               "money", "phone", "resident_id"}));
}

// The region check looks at the province code only, so all hundred two-digit prefixes are tried.
TEST(ValidatorCorpusFilesTest, ListExactlyTheProvinceCodesTheServerAccepts) {
  const json::object doc =
      ReadCorpus(std::filesystem::path(OC_VALIDATOR_TESTDATA_DIR) / "resident_id.json");
  std::set<std::string> listed;
  if (const json::value* codes = doc.if_contains("province_codes"); codes && codes->is_array()) {
    for (const json::value& code : codes->get_array()) {
      if (code.is_string()) listed.insert(std::string(code.get_string()));
    }
  }
  ASSERT_FALSE(listed.empty()) << "resident_id.json has no province_codes";
  for (int prefix = 0; prefix < 100; ++prefix) {
    char province[3];
    std::snprintf(province, sizeof province, "%02d", prefix);
    // The 15-digit form has no check character to compute; the region check is the same.
    const std::string number = std::string(province) + "0105900101001";
    auto id = ResidentIdNumber::Parse(number);
    if (listed.contains(province)) {
      EXPECT_TRUE(id) << number;
    } else {
      ASSERT_FALSE(id) << number;
      EXPECT_EQ(id.error().field_violations[0].code, "invalid_region") << number;
    }
  }
}

}  // namespace
}  // namespace oc
