#include "crypto/encoding.h"

#include <array>
#include <cstdint>

namespace oc::crypto {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::array<int8_t, 256> MakeBase64Table() {
  std::array<int8_t, 256> table{};
  for (auto& entry : table) entry = -1;
  for (size_t i = 0; i < kBase64Alphabet.size(); ++i) {
    table[static_cast<unsigned char>(kBase64Alphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}
constexpr std::array<int8_t, 256> kBase64Values = MakeBase64Table();

std::string EncodeBase64(std::string_view bytes, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t group = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                     static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                     static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(alphabet[group >> 18]);
    out.push_back(alphabet[(group >> 12) & 0x3f]);
    out.push_back(alphabet[(group >> 6) & 0x3f]);
    out.push_back(alphabet[group & 0x3f]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t group = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) group |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out.push_back(alphabet[group >> 18]);
    out.push_back(alphabet[(group >> 12) & 0x3f]);
    if (rest == 2) out.push_back(alphabet[(group >> 6) & 0x3f]);
    if (pad) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    out.push_back(kHexDigits[byte >> 4]);
    out.push_back(kHexDigits[byte & 0x0f]);
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = HexValue(hex[i]);
    int low = HexValue(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high << 4 | low));
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  return EncodeBase64(bytes, kBase64Alphabet, /*pad=*/true);
}

std::string Base64UrlEncode(std::string_view bytes) {
  return EncodeBase64(bytes, kBase64UrlAlphabet, /*pad=*/false);
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    size_t digits = last ? 4 - padding : 4;
    uint32_t group = 0;
    for (size_t j = 0; j < 4; ++j) {
      int value = 0;
      if (j < digits) {
        value = kBase64Values[static_cast<unsigned char>(text[i + j])];
        if (value < 0) return std::nullopt;
      }
      group = group << 6 | static_cast<uint32_t>(value);
    }
    out.push_back(static_cast<char>(group >> 16));
    if (digits >= 3) out.push_back(static_cast<char>(group >> 8));
    if (digits == 4) out.push_back(static_cast<char>(group));
    // Bits that no output byte uses must be zero, or two spellings would decode alike.
    if (digits == 2 && (group & 0xffff) != 0) return std::nullopt;
    if (digits == 3 && (group & 0xff) != 0) return std::nullopt;
  }
  return out;
}

}  // namespace oc::crypto
