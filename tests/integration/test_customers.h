#pragma once
// Made-up but valid customer data for the HTTP tests: resident ID numbers with correct check
// characters, mobile numbers, and the smallest valid individual customer.

#include <boost/json/object.hpp>
#include <string>

#include "core/china_regions.h"
#include "core/credit_code.h"
#include "core/date.h"

namespace oc::testing {

// A valid resident ID number of someone born on 1 January of `year` in Beijing's Chaoyang
// district; `sequence` (0–999) tells people of the same birthday apart.
inline std::string IdNumber(int sequence, int year = 1990) {
  return MakeResidentIdNumber("110105", *Date::FromYmd(year, 1, 1), sequence);
}

// A mobile number 139xxxxxxxx ending in the digits of `n`.
inline std::string Phone(int n) {
  std::string digits = std::to_string(n);
  return "139" + std::string(8 - digits.size(), '0') + digits;
}

// A valid unified social credit code: `first17` and its GB 32100 check character.
inline std::string CreditCode(const std::string& first17) {
  return first17 + CreditCodeCheckCharacter(first17);
}

// A bank card number: `first` followed by its Luhn check digit.
inline std::string BankCard(const std::string& first) {
  int sum = 0;
  for (size_t i = 0; i < first.size(); ++i) {
    int digit = first[first.size() - 1 - i] - '0';
    if (i % 2 == 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return first + static_cast<char>('0' + (10 - sum % 10) % 10);
}

inline boost::json::object Individual(const std::string& name, int sequence) {
  return boost::json::object{{"type", "individual"},
                             {"name", name},
                             {"id_number", IdNumber(sequence)},
                             {"phone", Phone(sequence)}};
}

}  // namespace oc::testing
