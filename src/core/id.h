#pragma once
// Strong 64-bit ids: Id<User> and Id<Department> do not convert into each other, so a
// department id can never be passed where a user id is expected.

#include <compare>
#include <cstdint>
#include <functional>

namespace oc {

template <class Tag>
class Id {
 public:
  constexpr Id() = default;
  constexpr explicit Id(int64_t value) : value_(value) {}
  constexpr int64_t value() const { return value_; }
  constexpr bool valid() const { return value_ > 0; }
  friend constexpr auto operator<=>(Id, Id) = default;

 private:
  int64_t value_ = 0;
};

}  // namespace oc

template <class Tag>
struct std::hash<oc::Id<Tag>> {
  size_t operator()(oc::Id<Tag> id) const noexcept { return std::hash<int64_t>{}(id.value()); }
};
