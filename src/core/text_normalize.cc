#include "core/text_normalize.h"

namespace oc {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The full-width block mirrors printable ASCII at a fixed offset (Unicode's Halfwidth and
// Fullwidth Forms); the ideographic space is the full-width space an IME types.
char32_t FoldCodePoint(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - 0xFEE0;
  if (cp == 0x3000) return U' ';
  return cp;
}

bool IsWhitespace(char32_t cp) {
  return cp == U' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

bool IsRemovable(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200B || cp == 0xFEFF;
}

}  // namespace

Utf8Char DecodeUtf8At(std::string_view s, size_t pos) {
  if (pos >= s.size()) return {0, 0, false};
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(pos);
  if (b0 < 0x80) return {b0, 1, true};
  size_t length = 0;
  char32_t cp = 0;
  // The second byte's allowed range excludes overlong forms (E0, F0), surrogates (ED) and code
  // points past U+10FFFF (F4), per the well-formed byte sequence table of RFC 3629.
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return {kReplacement, 1, false};
  }
  if (pos + length > s.size()) return {kReplacement, 1, false};
  for (size_t i = 1; i < length; ++i) {
    const unsigned char b = byte(pos + i);
    const unsigned char min = i == 1 ? lo : 0x80;
    const unsigned char max = i == 1 ? hi : 0xBF;
    if (b < min || b > max) return {kReplacement, 1, false};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, length, true};
}

bool IsValidUtf8(std::string_view s) {
  for (size_t pos = 0; pos < s.size();) {
    Utf8Char c = DecodeUtf8At(s, pos);
    if (!c.valid) return false;
    pos += c.length;
  }
  return true;
}

size_t Utf8Length(std::string_view s) {
  size_t count = 0;
  for (size_t pos = 0; pos < s.size(); pos += DecodeUtf8At(s, pos).length) ++count;
  return count;
}

bool HasControlCharacter(std::string_view s, bool allow_line_breaks) {
  for (size_t pos = 0; pos < s.size();) {
    const Utf8Char c = DecodeUtf8At(s, pos);
    pos += c.length;
    const char32_t cp = c.code_point;
    if (allow_line_breaks && (cp == '\t' || cp == '\n' || cp == '\r')) continue;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) return true;
  }
  return false;
}

std::string FoldFullWidth(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t pos = 0; pos < s.size();) {
    Utf8Char c = DecodeUtf8At(s, pos);
    char32_t folded = c.valid ? FoldCodePoint(c.code_point) : c.code_point;
    if (c.valid && folded != c.code_point) {
      AppendUtf8(out, folded);
    } else {
      out.append(s.substr(pos, c.length));
    }
    pos += c.length;
  }
  return out;
}

std::string NormalizeName(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (size_t pos = 0; pos < s.size();) {
    Utf8Char c = DecodeUtf8At(s, pos);
    pos += c.length;
    char32_t cp = c.valid ? FoldCodePoint(c.code_point) : kReplacement;
    if (IsWhitespace(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (IsRemovable(cp)) continue;
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    AppendUtf8(out, cp);
  }
  return out;
}

Result<std::string> CheckReason(std::string_view raw, std::string_view field, const Message& what) {
  if (!IsValidUtf8(raw) || HasControlCharacter(raw)) {
    return InvalidField(
        std::string(field), "control_character",
        {what.zh_cn + "含有不可见的控制字符", "The " + what.en_us + " holds control characters"});
  }
  std::string reason = NormalizeName(raw);
  if (reason.empty()) {
    return InvalidField(std::string(field), "required",
                        {"请填写" + what.zh_cn, "Give the " + what.en_us});
  }
  if (const size_t length = Utf8Length(reason); length < 2 || length > 200) {
    return InvalidField(
        std::string(field), length < 2 ? "too_short" : "too_long",
        {what.zh_cn + "应为 2 到 200 个字", "The " + what.en_us + " must be 2 to 200 characters"});
  }
  return reason;
}

}  // namespace oc
