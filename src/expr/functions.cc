#include "expr/functions.h"

#include <algorithm>
#include <cmath>

#include "core/contact.h"
#include "core/credit_code.h"
#include "core/resident_id.h"
#include "expr/expr.h"
#include "expr/text_format.h"

namespace oc::expr::internal {
namespace {

using Args = std::span<const Value>;

// ---- shared helpers ----

Value NumberOrOverflow(Call& call, std::optional<Decimal> d) {
  if (!d) return call.Fail(ErrorKind::kNumberOverflow);
  return Value::Number(*d);
}

// A whole-number argument (digits, counts, positions). Numbers are truncated toward zero, as
// Excel does; nullopt (error recorded) when out of int32 range.
std::optional<int64_t> WholeArg(Call& call, const Value& v) {
  if (v.kind() == TypeKind::kInteger) {
    if (v.integer() > INT32_MAX || v.integer() < INT32_MIN) {
      call.Fail(ErrorKind::kNumberOverflow);
      return std::nullopt;
    }
    return v.integer();
  }
  auto t = v.number().Round(0, Decimal::Rounding::kDown);
  auto i = t ? t->ToInt64() : std::nullopt;
  if (!i || *i > INT32_MAX || *i < INT32_MIN) {
    call.Fail(ErrorKind::kNumberOverflow);
    return std::nullopt;
  }
  return *i;
}

// Byte offsets of each character start in UTF-8 text, plus the end offset.
std::vector<size_t> CharStarts(std::string_view s) {
  std::vector<size_t> out;
  out.reserve(s.size() + 1);
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) out.push_back(i);
  }
  out.push_back(s.size());
  return out;
}

size_t CharCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

Value InvalidArgument(Call& call, std::string zh, std::string en) {
  return call.Fail(ErrorKind::kInvalidArgument,
                   {std::string(call.name()), MessageArg(std::move(zh), std::move(en))});
}

Value InvalidDate(Call& call) {
  return call.Fail(ErrorKind::kInvalidDate,
                   {MessageArg("超出 0001-01-01 至 9999-12-31", "outside 0001-01-01..9999-12-31")});
}

std::optional<Date> DateFromDays(int64_t days) {
  if (days < -719162 || days > 2932896) return std::nullopt;  // 0001-01-01 .. 9999-12-31
  return Date::FromDays(int32_t(days));
}

// The date of a date or datetime value, in the context's zone.
Date DateOf(Call& call, const Value& v) {
  if (v.kind() == TypeKind::kDate) return v.date();
  auto local = v.datetime() + std::chrono::minutes(call.context().utc_offset_minutes);
  return Date::FromDays(
      int32_t(std::chrono::floor<std::chrono::days>(local).time_since_epoch().count()));
}

int SecondsOfDay(Call& call, const Value& v) {
  if (v.kind() == TypeKind::kDate) return 0;
  auto local = v.datetime() + std::chrono::minutes(call.context().utc_offset_minutes);
  auto day = std::chrono::floor<std::chrono::days>(local);
  return int(std::chrono::duration_cast<std::chrono::seconds>(local - day).count());
}

// Adds months the way EDATE does: the day is clamped to the end of the target month.
std::optional<Date> AddMonths(Date d, int64_t months, bool end_of_month) {
  auto ymd = d.ymd();
  int64_t total = int64_t(int(ymd.year())) * 12 + (unsigned(ymd.month()) - 1) + months;
  int64_t year = total >= 0 ? total / 12 : (total - 11) / 12;
  unsigned month = unsigned(total - year * 12) + 1;
  if (year < 1 || year > 9999) return std::nullopt;
  std::chrono::year_month_day_last last{std::chrono::year(int(year)),
                                        std::chrono::month_day_last(std::chrono::month(month))};
  unsigned last_day = unsigned(last.day());
  unsigned day = end_of_month ? last_day : std::min(unsigned(ymd.day()), last_day);
  return Date::FromYmd(int(year), month, day);
}

// ---- logic and values ----

Value IsBlank(Call&, Args a) {
  const Value& v = a[0];
  bool blank = v.is_null() || (v.kind() == TypeKind::kText && v.text().empty()) ||
               (v.kind() == TypeKind::kList && v.list().empty());
  return Value::Boolean(blank);
}

// ---- aggregates ----

// Visits every non-null numeric argument and list element.
template <class F>
bool ForEachNumber(Call& call, Args a, F&& f) {
  for (const Value& v : a) {
    if (v.is_null()) continue;
    if (v.kind() == TypeKind::kList) {
      if (!call.Charge(v.list().size())) return false;
      for (const Value& item : v.list()) {
        if (!item.is_null() && !f(item)) return false;
      }
    } else if (!f(v)) {
      return false;
    }
  }
  return true;
}

Value ResultNumber(Call& call, Decimal d) {
  if (call.result_type().kind == TypeKind::kInteger) {
    auto i = d.ToInt64();
    if (!i) return call.Fail(ErrorKind::kNumberOverflow);
    return Value::Integer(*i);
  }
  return Value::Number(d);
}

Value Sum(Call& call, Args a) {
  Decimal total;
  bool overflow = false;
  bool ok = ForEachNumber(call, a, [&](const Value& v) {
    auto next = Add(total, v.AsDecimal());
    if (!next) {
      overflow = true;
      return false;
    }
    total = *next;
    return true;
  });
  if (overflow) return call.Fail(ErrorKind::kNumberOverflow);
  if (!ok) return Value();
  return ResultNumber(call, total);
}

Value MinMax(Call& call, Args a, bool want_max) {
  std::optional<Decimal> best;
  if (!ForEachNumber(call, a, [&](const Value& v) {
        Decimal d = v.AsDecimal();
        if (!best || (want_max ? Compare(d, *best) > 0 : Compare(d, *best) < 0)) best = d;
        return true;
      })) {
    return Value();
  }
  if (!best) return Value();
  return ResultNumber(call, *best);
}

Value Min(Call& call, Args a) { return MinMax(call, a, false); }
Value Max(Call& call, Args a) { return MinMax(call, a, true); }

Value Average(Call& call, Args a) {
  Decimal total;
  int64_t count = 0;
  bool overflow = false;
  bool ok = ForEachNumber(call, a, [&](const Value& v) {
    auto next = Add(total, v.AsDecimal());
    if (!next) {
      overflow = true;
      return false;
    }
    total = *next;
    ++count;
    return true;
  });
  if (overflow) return call.Fail(ErrorKind::kNumberOverflow);
  if (!ok || count == 0) return Value();
  return NumberOrOverflow(call, Divide(total, Decimal::FromInt(count)));
}

Value Count(Call& call, Args a) {
  int64_t count = 0;
  for (const Value& v : a) {
    if (v.is_null()) continue;
    if (v.kind() == TypeKind::kList) {
      if (!call.Charge(v.list().size())) return Value();
      for (const Value& item : v.list()) count += item.is_null() ? 0 : 1;
    } else {
      ++count;
    }
  }
  return Value::Integer(count);
}

// ---- math ----

Value Abs(Call& call, Args a) {
  if (a[0].kind() == TypeKind::kInteger) {
    if (a[0].integer() == INT64_MIN) return call.Fail(ErrorKind::kNumberOverflow);
    return Value::Integer(a[0].integer() < 0 ? -a[0].integer() : a[0].integer());
  }
  return Value::Number(a[0].number().Abs());
}

Value RoundWith(Call& call, Args a, Decimal::Rounding mode) {
  int64_t digits = 0;
  if (a.size() > 1) {
    auto d = WholeArg(call, a[1]);
    if (!d) return Value();
    digits = std::clamp<int64_t>(*d, -40, 40);
  }
  return NumberOrOverflow(call, a[0].AsDecimal().Round(int(digits), mode));
}

Value Round(Call& call, Args a) { return RoundWith(call, a, Decimal::Rounding::kHalfUp); }
Value RoundUp(Call& call, Args a) { return RoundWith(call, a, Decimal::Rounding::kUp); }
Value RoundDown(Call& call, Args a) { return RoundWith(call, a, Decimal::Rounding::kDown); }

Value Int(Call& call, Args a) {
  if (a[0].kind() == TypeKind::kInteger) return a[0];
  auto floor = a[0].number().Round(0, Decimal::Rounding::kFloor);
  auto i = floor ? floor->ToInt64() : std::nullopt;
  if (!i) return call.Fail(ErrorKind::kNumberOverflow);
  return Value::Integer(*i);
}

Value Mod(Call& call, Args a) {
  if (a[0].kind() == TypeKind::kInteger && a[1].kind() == TypeKind::kInteger) {
    int64_t x = a[0].integer();
    int64_t y = a[1].integer();
    if (y == 0) return call.Fail(ErrorKind::kDivisionByZero);
    if (y == -1) return ResultNumber(call, Decimal());
    int64_t r = x % y;
    if (r != 0 && ((r < 0) != (y < 0))) r += y;
    return ResultNumber(call, Decimal::FromInt(r));
  }
  Decimal x = a[0].AsDecimal();
  Decimal y = a[1].AsDecimal();
  if (y.IsZero()) return call.Fail(ErrorKind::kDivisionByZero);
  // Exact: bring both to one scale, take the integer remainder of the coefficients, then give
  // it the divisor's sign as Excel does.
  int scale = std::max(x.scale(), y.scale());
  auto up = [&](Decimal d) -> std::optional<__int128> {
    __int128 c = d.coefficient();
    for (int i = d.scale(); i < scale; ++i) {
      if (__builtin_mul_overflow(c, __int128(10), &c)) return std::nullopt;
    }
    return c;
  };
  auto xc = up(x);
  auto yc = up(y);
  if (!xc || !yc) return call.Fail(ErrorKind::kNumberOverflow);
  __int128 r = *xc % *yc;
  if (r != 0 && ((r < 0) != (*yc < 0))) r += *yc;
  return ResultNumber(call, Decimal::FromParts(r, scale));
}

Value Power(Call& call, Args a) {
  Decimal base = a[0].AsDecimal();
  Decimal exponent = a[1].AsDecimal();
  auto whole = exponent.ToInt64();
  if (whole && *whole >= -4096 && *whole <= 4096) {
    // Integral exponents stay exact (up to rounding at 18 fractional digits per step).
    int64_t n = *whole < 0 ? -*whole : *whole;
    Decimal result = Decimal::FromInt(1);
    Decimal square = base;
    while (n > 0) {
      if (!call.Charge(1)) return Value();
      if (n & 1) {
        auto r = Multiply(result, square);
        if (!r) return call.Fail(ErrorKind::kNumberOverflow);
        result = *r;
      }
      n >>= 1;
      if (n > 0) {
        auto s = Multiply(square, square);
        if (!s) return call.Fail(ErrorKind::kNumberOverflow);
        square = *s;
      }
    }
    if (*whole < 0) {
      if (result.IsZero()) return call.Fail(ErrorKind::kDivisionByZero);
      return NumberOrOverflow(call, Divide(Decimal::FromInt(1), result));
    }
    return Value::Number(result);
  }
  if (base.IsNegative()) {
    return InvalidArgument(call, "负数不能开非整数次方",
                           "a negative number cannot be raised to a fractional power");
  }
  if (base.IsZero()) {
    if (exponent.IsNegative()) return call.Fail(ErrorKind::kDivisionByZero);
    return Value::Number(Decimal());
  }
  // Fractional powers (e.g. converting an annual rate to a monthly one) are irrational in
  // general; they are computed in long double and kept to 15 significant digits.
  auto d = Decimal::FromDouble(std::pow(base.ToLongDouble(), exponent.ToLongDouble()));
  return NumberOrOverflow(call, d);
}

Value Sqrt(Call& call, Args a) {
  Decimal x = a[0].AsDecimal();
  if (x.IsNegative()) return InvalidArgument(call, "不能对负数开平方", "negative number");
  return NumberOrOverflow(call, Decimal::FromDouble(std::sqrt(x.ToLongDouble())));
}

// PMT(rate, nper, pv, [fv], [type]): the payment per period of an equal-installment loan
// (等额本息), Excel's sign convention (money paid out is negative):
//   rate = 0: -(pv + fv) / nper
//   else:     -rate * (pv * (1+rate)^nper + fv) / (((1+rate)^nper - 1) * (1 + rate*type))
Value Pmt(Call& call, Args a) {
  Decimal rate = a[0].AsDecimal();
  auto nper = a[1].AsDecimal().ToInt64();
  if (!nper || *nper == 0 || *nper > 100000 || *nper < -100000) {
    return InvalidArgument(call, "期数必须是非零整数", "the number of periods must be a non-zero integer");
  }
  Decimal pv = a[2].AsDecimal();
  Decimal fv = a.size() > 3 ? a[3].AsDecimal() : Decimal();
  Decimal type = a.size() > 4 ? a[4].AsDecimal() : Decimal();
  if (!type.IsZero() && Compare(type, Decimal::FromInt(1)) != 0) {
    return InvalidArgument(call, "付款时间类型应为 0 或 1", "type must be 0 or 1");
  }
  auto fail = [&] { return call.Fail(ErrorKind::kNumberOverflow); };
  if (rate.IsZero()) {
    auto total = Add(pv, fv);
    if (!total) return fail();
    auto per = Divide(*total, Decimal::FromInt(*nper));
    if (!per) return fail();
    return Value::Number(per->Negate());
  }
  auto one_plus = Add(Decimal::FromInt(1), rate);
  if (!one_plus) return fail();
  Value factor_args[2] = {Value::Number(*one_plus), Value::Integer(*nper)};
  Value factor_value = Power(call, Args(factor_args, 2));
  if (factor_value.is_null()) return Value();
  Decimal factor = factor_value.number();
  auto grown = Multiply(pv, factor);
  if (!grown) return fail();
  auto numerator_inner = Add(*grown, fv);
  if (!numerator_inner) return fail();
  auto numerator = Multiply(rate, *numerator_inner);
  auto factor_minus_one = Subtract(factor, Decimal::FromInt(1));
  if (!numerator || !factor_minus_one) return fail();
  auto timing = Add(Decimal::FromInt(1), *Multiply(rate, type));
  if (!timing) return fail();
  auto denominator = Multiply(*factor_minus_one, *timing);
  if (!denominator) return fail();
  if (denominator->IsZero()) return call.Fail(ErrorKind::kDivisionByZero);
  auto payment = Divide(*numerator, *denominator);
  if (!payment) return fail();
  return Value::Number(payment->Negate());
}

// ---- text ----

Value Len(Call&, Args a) { return Value::Integer(int64_t(CharCount(a[0].text()))); }

Value LeftRight(Call& call, Args a, bool left) {
  int64_t n = 1;
  if (a.size() > 1) {
    auto c = WholeArg(call, a[1]);
    if (!c) return Value();
    n = *c;
  }
  if (n < 0) return InvalidArgument(call, "字符数不能为负", "the count cannot be negative");
  const std::string& s = a[0].text();
  auto starts = CharStarts(s);
  size_t chars = starts.size() - 1;
  size_t take = size_t(std::min<int64_t>(n, int64_t(chars)));
  if (left) return Value::Text(s.substr(0, starts[take]));
  return Value::Text(s.substr(starts[chars - take]));
}

Value Left(Call& call, Args a) { return LeftRight(call, a, true); }
Value Right(Call& call, Args a) { return LeftRight(call, a, false); }

Value Mid(Call& call, Args a) {
  auto start = WholeArg(call, a[1]);
  if (!start) return Value();
  auto count = WholeArg(call, a[2]);
  if (!count) return Value();
  if (*start < 1) return InvalidArgument(call, "起始位置应从 1 开始", "the start must be 1 or more");
  if (*count < 0) return InvalidArgument(call, "字符数不能为负", "the count cannot be negative");
  const std::string& s = a[0].text();
  auto starts = CharStarts(s);
  size_t chars = starts.size() - 1;
  size_t from = size_t(std::min<int64_t>(*start - 1, int64_t(chars)));
  size_t to = size_t(std::min<int64_t>(int64_t(from) + *count, int64_t(chars)));
  return Value::Text(s.substr(starts[from], starts[to] - starts[from]));
}

// FIND(needle, haystack, [start]): 1-based character position, 0 when absent (Excel returns an
// error instead; 0 keeps conditions such as FIND(…) > 0 simple).
Value Find(Call& call, Args a) {
  const std::string& needle = a[0].text();
  const std::string& hay = a[1].text();
  auto starts = CharStarts(hay);
  int64_t from = 1;
  if (a.size() > 2) {
    auto s = WholeArg(call, a[2]);
    if (!s) return Value();
    from = *s;
  }
  if (from < 1 || from > int64_t(starts.size())) {
    return InvalidArgument(call, "起始位置超出文本范围", "the start is outside the text");
  }
  if (!call.Charge(hay.size() / 64)) return Value();
  size_t at = hay.find(needle, starts[size_t(from - 1)]);
  if (at == std::string::npos) return Value::Integer(0);
  return Value::Integer(
      int64_t(std::lower_bound(starts.begin(), starts.end(), at) - starts.begin()) + 1);
}

Value Contains(Call& call, Args a) {
  if (!call.Charge(a[0].text().size() / 64)) return Value();
  return Value::Boolean(a[0].text().find(a[1].text()) != std::string::npos);
}

Value StartsWith(Call&, Args a) { return Value::Boolean(a[0].text().starts_with(a[1].text())); }
Value EndsWith(Call&, Args a) { return Value::Boolean(a[0].text().ends_with(a[1].text())); }

Value CaseMap(Args a, bool upper) {
  std::string s = a[0].text();
  for (char& c : s) {
    if (upper && c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return Value::Text(std::move(s));
}

Value Upper(Call&, Args a) { return CaseMap(a, true); }
Value Lower(Call&, Args a) { return CaseMap(a, false); }

// Excel TRIM: drops leading and trailing spaces and collapses inner runs to one space. The
// ideographic space U+3000 typed by Chinese input methods counts as a space too.
Value Trim(Call&, Args a) {
  const std::string& s = a[0].text();
  std::string out;
  bool pending_space = false;
  for (size_t i = 0; i < s.size();) {
    bool space = s[i] == ' ';
    size_t len = 1;
    if (!space && s.compare(i, 3, "\xE3\x80\x80") == 0) {
      space = true;
      len = 3;
    }
    if (space) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out += ' ';
      pending_space = false;
      out += s[i];
    }
    i += len;
  }
  return Value::Text(std::move(out));
}

Value Substitute(Call& call, Args a) {
  const std::string& s = a[0].text();
  const std::string& from = a[1].text();
  const std::string& to = a[2].text();
  int64_t instance = 0;
  if (a.size() > 3) {
    auto n = WholeArg(call, a[3]);
    if (!n) return Value();
    if (*n < 1) return InvalidArgument(call, "序号应从 1 开始", "the instance must be 1 or more");
    instance = *n;
  }
  if (from.empty()) return a[0];
  std::string out;
  size_t pos = 0;
  int64_t seen = 0;
  while (true) {
    size_t at = s.find(from, pos);
    if (at == std::string::npos) break;
    ++seen;
    out.append(s, pos, at - pos);
    out += (instance == 0 || seen == instance) ? to : from;
    pos = at + from.size();
    // Checked as it grows: replacing with a longer text could otherwise multiply the size.
    if (!call.FitsText(out.size()) || !call.Charge(1)) return Value();
  }
  out.append(s, pos, std::string::npos);
  return Value::Text(std::move(out));
}

Value Text(Call& call, Args a) {
  const Value& v = a[0];
  const std::string& format = a[1].text();
  std::optional<std::string> out;
  if (v.kind() == TypeKind::kText) return v;
  if (v.kind() == TypeKind::kInteger || v.kind() == TypeKind::kNumber) {
    out = FormatNumber(v.AsDecimal(), format);
  } else {
    out = FormatDateTime(DateOf(call, v), SecondsOfDay(call, v), format);
  }
  if (!out) return call.Fail(ErrorKind::kInvalidFormat, {format});
  return Value::Text(std::move(*out));
}

// VALUE(text): a number from text as people type it: blanks around, thousands separators,
// a trailing percent sign ("12.5%" is 0.125).
Value ValueOf(Call& call, Args a) {
  std::string s;
  for (char c : a[0].text()) {
    if (c != ',' && c != ' ') s += c;
  }
  bool percent = !s.empty() && s.back() == '%';
  if (percent) s.pop_back();
  auto d = Decimal::Parse(s);
  if (!d) return call.Fail(ErrorKind::kInvalidValue, {a[0].text(), MessageArg("数字", "a number")});
  if (percent) return NumberOrOverflow(call, Divide(*d, Decimal::FromInt(100)));
  return Value::Number(*d);
}

Value Concat(Call& call, Args a) {
  std::string out;
  auto append = [&](const Value& v) {
    if (v.is_null()) return true;
    if (v.kind() == TypeKind::kText) {
      out += v.text();
    } else if (v.kind() == TypeKind::kBoolean) {
      out += v.boolean() ? "TRUE" : "FALSE";
    } else {
      out += v.ToString();
    }
    return call.FitsText(out.size());
  };
  for (const Value& v : a) {
    if (v.kind() == TypeKind::kList) {
      if (!call.Charge(v.list().size())) return Value();
      for (const Value& item : v.list()) {
        if (!append(item)) return Value();
      }
    } else if (!append(v)) {
      return Value();
    }
  }
  return Value::Text(std::move(out));
}

Value RegexMatch(Call& call, Args a) {
  const Budget& budget = call.context().budget;
  std::string_view input = a[0].text();
  if (CharCount(input) > budget.max_regex_input_chars) {
    return call.Fail(
        ErrorKind::kRegexTooCostly,
        {MessageArg("文本超过 " + std::to_string(budget.max_regex_input_chars) + " 个字符",
                    "the text is longer than " + std::to_string(budget.max_regex_input_chars) +
                        " characters")});
  }
  const Regex* regex = call.constant_regex();
  std::optional<Regex> compiled;
  if (regex == nullptr) {
    auto r = Regex::Compile(a[1].text());
    if (!r) {
      return call.Fail(r.error().too_costly ? ErrorKind::kRegexTooCostly : ErrorKind::kInvalidRegex,
                       {MessageArg(r.error().zh_cn, r.error().en_us)});
    }
    compiled = std::move(*r);
    regex = &*compiled;
  }
  // RE2's worst case (its NFA simulation) costs program size × input bytes; charge it up front.
  if (!call.Charge(uint64_t(input.size() + 1) * uint64_t(regex->program_size()) / 16)) {
    return Value();
  }
  return Value::Boolean(regex->Search(input));
}

// ---- dates ----

Value Today(Call& call, Args) {
  auto today = call.Today();
  if (!today) return Value();
  return Value::Date(*today);
}

Value Now(Call& call, Args) {
  if (call.context().clock == nullptr) {
    return call.Fail(ErrorKind::kNoBusinessDate, {std::string(call.name())});
  }
  return Value::DateTime(call.context().clock->Now());
}

// DATE(y, m, d) normalises like Excel: month 13 is January of the next year, day 0 is the last
// day of the previous month.
Value DateFn(Call& call, Args a) {
  auto y = WholeArg(call, a[0]);
  auto m = y ? WholeArg(call, a[1]) : std::nullopt;
  auto d = m ? WholeArg(call, a[2]) : std::nullopt;
  if (!d) return Value();
  if (*y < 1 || *y > 9999) return InvalidDate(call);
  auto first = Date::FromYmd(int(*y), 1, 1);
  auto month_start = AddMonths(*first, *m - 1, false);
  if (!month_start) return InvalidDate(call);
  auto date = DateFromDays(int64_t(month_start->days_since_epoch()) + *d - 1);
  if (!date) return InvalidDate(call);
  return Value::Date(*date);
}

Value Year(Call& call, Args a) { return Value::Integer(DateOf(call, a[0]).year()); }
Value Month(Call& call, Args a) { return Value::Integer(DateOf(call, a[0]).month()); }
Value Day(Call& call, Args a) { return Value::Integer(DateOf(call, a[0]).day()); }

// 0 = Monday … 6 = Sunday.
int IsoWeekdayIndex(Date d) { return int(((int64_t(d.days_since_epoch()) % 7) + 10) % 7); }

Value Weekday(Call& call, Args a) {
  int64_t type = 1;
  if (a.size() > 1) {
    auto t = WholeArg(call, a[1]);
    if (!t) return Value();
    type = *t;
  }
  int monday0 = IsoWeekdayIndex(DateOf(call, a[0]));
  switch (type) {
    case 1: return Value::Integer((monday0 + 1) % 7 + 1);  // Sunday = 1 … Saturday = 7
    case 2: return Value::Integer(monday0 + 1);            // Monday = 1 … Sunday = 7
    case 3: return Value::Integer(monday0);                // Monday = 0 … Sunday = 6
    default: return InvalidArgument(call, "类型应为 1、2 或 3", "type must be 1, 2 or 3");
  }
}

Value Days(Call& call, Args a) {
  return Value::Integer(int64_t(DateOf(call, a[0]).days_since_epoch()) -
                        DateOf(call, a[1]).days_since_epoch());
}

Value DateDif(Call& call, Args a) {
  Date start = DateOf(call, a[0]);
  Date end = DateOf(call, a[1]);
  std::string unit = a[2].text();
  for (char& c : unit) {
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  }
  if (start > end) {
    return InvalidArgument(call, "开始日期晚于结束日期", "the start date is after the end date");
  }
  int64_t months = int64_t(end.year() - start.year()) * 12 + int64_t(end.month()) -
                   int64_t(start.month());
  if (end.day() < start.day()) --months;  // a month is complete only on the same day number
  if (unit == "Y") return Value::Integer(months / 12);
  if (unit == "M") return Value::Integer(months);
  if (unit == "YM") return Value::Integer(months % 12);
  if (unit == "D") {
    return Value::Integer(int64_t(end.days_since_epoch()) - start.days_since_epoch());
  }
  return InvalidArgument(call, "单位应为 \"Y\"、\"M\"、\"D\" 或 \"YM\"",
                         "the unit must be \"Y\", \"M\", \"D\" or \"YM\"");
}

Value MonthShift(Call& call, Args a, bool end_of_month) {
  auto months = WholeArg(call, a[1]);
  if (!months) return Value();
  auto d = AddMonths(a[0].date(), *months, end_of_month);
  if (!d) return InvalidDate(call);
  return Value::Date(*d);
}

Value EDate(Call& call, Args a) { return MonthShift(call, a, false); }
Value EoMonth(Call& call, Args a) { return MonthShift(call, a, true); }

Value AddDays(Call& call, Args a) {
  auto n = WholeArg(call, a[1]);
  if (!n) return Value();
  auto d = DateFromDays(int64_t(a[0].date().days_since_epoch()) + *n);
  if (!d) return InvalidDate(call);
  return Value::Date(*d);
}

// The host's business calendar: its work week (Monday to Friday unless the host says otherwise),
// minus holidays, plus days off declared working days (调休).
class Calendar {
 public:
  explicit Calendar(const EvalContext& ctx)
      : work_week_(ctx.work_week),
        holidays_(ctx.holidays.begin(), ctx.holidays.end()),
        extra_(ctx.extra_workdays.begin(), ctx.extra_workdays.end()) {
    std::sort(holidays_.begin(), holidays_.end());
    std::sort(extra_.begin(), extra_.end());
  }
  bool IsWorkday(Date d) const {
    if (std::binary_search(extra_.begin(), extra_.end(), d)) return true;
    if ((work_week_ & (1u << IsoWeekdayIndex(d))) == 0) return false;
    return !std::binary_search(holidays_.begin(), holidays_.end(), d);
  }

 private:
  uint8_t work_week_;
  std::vector<Date> holidays_;
  std::vector<Date> extra_;
};

// ISWORKDAY(d): whether d (a datetime: its date in the host's zone) is a working day.
Value IsWorkdayFn(Call& call, Args a) {
  return Value::Boolean(Calendar(call.context()).IsWorkday(DateOf(call, a[0])));
}

// WORKDAY(start, days): the date `days` working days after (or before) start, start itself not
// counted, as in Excel.
Value Workday(Call& call, Args a) {
  auto n = WholeArg(call, a[1]);
  if (!n) return Value();
  Calendar calendar(call.context());
  int64_t step = *n < 0 ? -1 : 1;
  int64_t remaining = *n < 0 ? -*n : *n;
  int64_t day = a[0].date().days_since_epoch();
  while (remaining > 0) {
    if (!call.Charge(1)) return Value();
    day += step;
    auto d = DateFromDays(day);
    if (!d) return InvalidDate(call);
    if (calendar.IsWorkday(*d)) --remaining;
  }
  return Value::Date(Date::FromDays(int32_t(day)));
}

// NETWORKDAYS(start, end): working days from start to end, both included; negative when end
// is before start, as in Excel.
Value NetworkDays(Call& call, Args a) {
  Calendar calendar(call.context());
  int64_t from = a[0].date().days_since_epoch();
  int64_t to = a[1].date().days_since_epoch();
  int64_t sign = 1;
  if (from > to) {
    std::swap(from, to);
    sign = -1;
  }
  if (!call.Charge(uint64_t(to - from + 1))) return Value();
  int64_t count = 0;
  for (int64_t day = from; day <= to; ++day) {
    if (calendar.IsWorkday(Date::FromDays(int32_t(day)))) ++count;
  }
  return Value::Integer(sign * count);
}

// ---- credit helpers ----
// The validators are core's, the same ones customer intake applies, so a number accepted on a
// form always passes these functions (and the other way round): they standardise first (trim,
// full-width digits, lower-case x) and accept the 15-digit numbers issued before 1999.

// ASCII blanks and ideographic spaces, which the standardisers drop.
size_t BlankCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') ++n;
    if (s.compare(i, 3, "\xE3\x80\x80") == 0) ++n;
  }
  return n;
}

std::optional<ResidentIdNumber> ParseResidentId(std::string_view text) {
  auto parsed = ResidentIdNumber::Parse(text);
  if (!parsed) return std::nullopt;
  return std::move(*parsed);
}

// IDCARD_VALID(text, [allow_legacy]): 15-digit numbers count only when allow_legacy is TRUE,
// since a new application should carry the current 18-character number.
Value IdCardValid(Call&, Args a) {
  bool legacy = a.size() > 1 && a[1].boolean();
  auto id = ParseResidentId(a[0].text());
  if (!id) return Value::Boolean(false);
  if (!legacy && CharCount(a[0].text()) - BlankCount(a[0].text()) == 15) {
    return Value::Boolean(false);
  }
  return Value::Boolean(true);
}

Value IdCardBirthDate(Call&, Args a) {
  auto id = ParseResidentId(a[0].text());
  return id ? Value::Date(id->birth_date()) : Value();
}

Value IdCardGender(Call&, Args a) {
  auto id = ParseResidentId(a[0].text());
  if (!id) return Value();
  return Value::Text(id->gender() == ResidentIdNumber::Gender::kMale ? "男" : "女");
}

// Age in full years (周岁) on `as_of` (default TODAY()); null for an invalid number or a birth
// date after `as_of`.
Value IdCardAge(Call& call, Args a) {
  auto id = ParseResidentId(a[0].text());
  if (!id) return Value();
  std::optional<Date> as_of;
  if (a.size() > 1) {
    as_of = a[1].date();
  } else {
    as_of = call.Today();
    if (!as_of) return Value();
  }
  int age = id->AgeOn(*as_of);
  if (age < 0) return Value();
  return Value::Integer(age);
}

Value UsccValid(Call&, Args a) {
  return Value::Boolean(UnifiedSocialCreditCode::Parse(a[0].text()).has_value());
}

Value LuhnValid(Call&, Args a) { return Value::Boolean(oc::LuhnValid(a[0].text())); }

// ---- the table ----

constexpr std::string_view kSpecialForms[] = {"AND", "COALESCE", "IF", "IFS", "NOT", "OR",
                                              "SWITCH"};

// Sorted by name for binary search.
constexpr Builtin kBuiltins[] = {
    {"ABS", "n", 1, 1, ResultRule::kNumericLike, true, Abs},
    {"ADDDAYS", "dn", 2, 2, ResultRule::kDate, true, AddDays},
    {"AVERAGE", "N", 1, -1, ResultRule::kNumber, false, Average},
    {"CONCAT", "a", 1, -1, ResultRule::kText, false, Concat},
    {"CONTAINS", "tt", 2, 2, ResultRule::kBoolean, true, Contains},
    {"COUNT", "a", 1, -1, ResultRule::kInteger, false, Count},
    {"DATE", "nnn", 3, 3, ResultRule::kDate, true, DateFn},
    {"DATEDIF", "DDt", 3, 3, ResultRule::kInteger, true, DateDif},
    {"DAY", "D", 1, 1, ResultRule::kInteger, true, Day},
    {"DAYS", "DD", 2, 2, ResultRule::kInteger, true, Days},
    {"EDATE", "dn", 2, 2, ResultRule::kDate, true, EDate},
    {"ENDSWITH", "tt", 2, 2, ResultRule::kBoolean, true, EndsWith},
    {"EOMONTH", "dn", 2, 2, ResultRule::kDate, true, EoMonth},
    {"FIND", "ttn", 2, 3, ResultRule::kInteger, true, Find},
    {"IDCARD_AGE", "td", 1, 2, ResultRule::kInteger, true, IdCardAge},
    {"IDCARD_BIRTHDATE", "t", 1, 1, ResultRule::kDate, true, IdCardBirthDate},
    {"IDCARD_GENDER", "t", 1, 1, ResultRule::kText, true, IdCardGender},
    {"IDCARD_VALID", "tb", 1, 2, ResultRule::kBoolean, true, IdCardValid},
    {"INT", "n", 1, 1, ResultRule::kInteger, true, Int},
    {"ISBLANK", "a", 1, 1, ResultRule::kBoolean, false, IsBlank},
    {"ISWORKDAY", "D", 1, 1, ResultRule::kBoolean, true, IsWorkdayFn},
    {"LEFT", "tn", 1, 2, ResultRule::kText, true, Left},
    {"LEN", "t", 1, 1, ResultRule::kInteger, true, Len},
    {"LOWER", "t", 1, 1, ResultRule::kText, true, Lower},
    {"LUHN_VALID", "t", 1, 1, ResultRule::kBoolean, true, LuhnValid},
    {"MAX", "N", 1, -1, ResultRule::kNumericLike, false, Max},
    {"MID", "tnn", 3, 3, ResultRule::kText, true, Mid},
    {"MIN", "N", 1, -1, ResultRule::kNumericLike, false, Min},
    {"MOD", "nn", 2, 2, ResultRule::kNumericLike, true, Mod},
    {"MONTH", "D", 1, 1, ResultRule::kInteger, true, Month},
    {"NETWORKDAYS", "dd", 2, 2, ResultRule::kInteger, true, NetworkDays},
    {"NOW", "", 0, 0, ResultRule::kDateTime, false, Now},
    {"PMT", "nnnnn", 3, 5, ResultRule::kNumber, true, Pmt},
    {"POWER", "nn", 2, 2, ResultRule::kNumber, true, Power},
    {"REGEXMATCH", "tt", 2, 2, ResultRule::kBoolean, true, RegexMatch},
    {"RIGHT", "tn", 1, 2, ResultRule::kText, true, Right},
    {"ROUND", "nn", 1, 2, ResultRule::kNumber, true, Round},
    {"ROUNDDOWN", "nn", 1, 2, ResultRule::kNumber, true, RoundDown},
    {"ROUNDUP", "nn", 1, 2, ResultRule::kNumber, true, RoundUp},
    {"SQRT", "n", 1, 1, ResultRule::kNumber, true, Sqrt},
    {"STARTSWITH", "tt", 2, 2, ResultRule::kBoolean, true, StartsWith},
    {"SUBSTITUTE", "tttn", 3, 4, ResultRule::kText, true, Substitute},
    {"SUM", "N", 1, -1, ResultRule::kNumericLike, false, Sum},
    {"TEXT", "ft", 2, 2, ResultRule::kText, true, Text},
    {"TODAY", "", 0, 0, ResultRule::kDate, false, Today},
    {"TRIM", "t", 1, 1, ResultRule::kText, true, Trim},
    {"UPPER", "t", 1, 1, ResultRule::kText, true, Upper},
    {"USCC_VALID", "t", 1, 1, ResultRule::kBoolean, true, UsccValid},
    {"VALUE", "t", 1, 1, ResultRule::kNumber, true, ValueOf},
    {"WEEKDAY", "Dn", 1, 2, ResultRule::kInteger, true, Weekday},
    {"WORKDAY", "dn", 2, 2, ResultRule::kDate, true, Workday},
    {"YEAR", "D", 1, 1, ResultRule::kInteger, true, Year},
};

}  // namespace

std::span<const Builtin> Builtins() { return kBuiltins; }

const Builtin* FindBuiltin(std::string_view upper_name) {
  auto it = std::lower_bound(std::begin(kBuiltins), std::end(kBuiltins), upper_name,
                             [](const Builtin& b, std::string_view n) { return b.name < n; });
  if (it == std::end(kBuiltins) || it->name != upper_name) return nullptr;
  return &*it;
}

std::span<const std::string_view> SpecialForms() { return kSpecialForms; }

}  // namespace oc::expr::internal
