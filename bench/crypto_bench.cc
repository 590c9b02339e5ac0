// Field encryption sits on every customer write and blind-index lookup, so its cost per value is
// tracked here. Target: at least 300k Encrypt + BlindIndex per second on one core for an 18-byte
// ID number.

#include <benchmark/benchmark.h>

#include <string>

#include "crypto/digest.h"
#include "crypto/field_cipher.h"

namespace oc::crypto {
namespace {

constexpr std::string_view kIdNumber = "110101199003077777";
constexpr std::string_view kContext = "customer.id_number";

FieldCipher MakeCipher(CipherSuite suite) {
  return FieldCipher(
      Keyring::Create(suite, {{2, std::string(32, 'b')}, {1, std::string(32, 'a')}}, 2).value());
}

CipherSuite Suite(const benchmark::State& state) {
  return state.range(0) == 0 ? CipherSuite::kAes256Gcm : CipherSuite::kSm4Gcm;
}

void BM_EncryptAndBlindIndex(benchmark::State& state) {
  FieldCipher cipher = MakeCipher(Suite(state));
  for (auto _ : state) {
    auto encrypted = cipher.Encrypt(kIdNumber, kContext);
    std::string index = cipher.BlindIndex(kIdNumber, kContext);
    benchmark::DoNotOptimize(encrypted);
    benchmark::DoNotOptimize(index);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(CipherSuiteName(Suite(state))));
}
BENCHMARK(BM_EncryptAndBlindIndex)->Arg(0)->Arg(1);

void BM_Decrypt(benchmark::State& state) {
  FieldCipher cipher = MakeCipher(Suite(state));
  std::string encrypted = cipher.Encrypt(kIdNumber, kContext).value();
  for (auto _ : state) {
    auto decrypted = cipher.Decrypt(encrypted, kContext);
    benchmark::DoNotOptimize(decrypted);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(CipherSuiteName(Suite(state))));
}
BENCHMARK(BM_Decrypt)->Arg(0)->Arg(1);

void BM_HmacSha256(benchmark::State& state) {
  std::string key(32, 'k');
  for (auto _ : state) benchmark::DoNotOptimize(HmacSha256(key, kIdNumber));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HmacSha256);

void BM_Sha256(benchmark::State& state) {
  std::string data(256, 'd');
  for (auto _ : state) benchmark::DoNotOptimize(Sha256(data));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sha256);

}  // namespace
}  // namespace oc::crypto
