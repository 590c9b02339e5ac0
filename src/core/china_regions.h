#pragma once
// A small table of real county-level divisions of mainland China (GB/T 2260 codes) and a
// generator of valid resident ID numbers, for demo data and tests: seeded customers get ID
// numbers that pass validation and addresses that exist. Not a complete or current division
// list; intake never validates against it. Immutable; thread-safe.

#include <span>
#include <string>
#include <string_view>

#include "core/date.h"

namespace oc {

struct ChinaRegion {
  std::string_view code;  // six digits, e.g. "110105"
  std::string_view province;
  std::string_view city;  // for the four municipalities, the same as the province
  std::string_view district;
};

// About sixty districts across sixteen provinces and municipalities, in code order.
std::span<const ChinaRegion> DemoChinaRegions();

// A valid 18-character resident ID number: `region6`, the birth date as YYYYMMDD, `sequence` as
// three digits (odd for a man, even for a woman, per GB 11643) and the check character.
// REQUIRES: region6 is six ASCII digits, birth is in years 1900–9999 and 0 <= sequence <= 999
// (aborts otherwise).
std::string MakeResidentIdNumber(std::string_view region6, Date birth, int sequence);

}  // namespace oc
