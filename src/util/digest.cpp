#include "src/util/digest.hpp"

#include <nettle/sha2.h>

#include <variant>

namespace dg::util {

// nettle, not OpenSSL: libarchive already links it, and OpenSSL's libcrypto was 4 MB of the
// release binary for two hash functions.
struct Digester::Ctx {
  std::variant<sha256_ctx, sha512_ctx> h;
};

std::array<unsigned char, 32> sha256(std::string_view data) {
  static_assert(SHA256_DIGEST_SIZE == 32);
  sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
  std::array<unsigned char, 32> md{};
  sha256_digest(&ctx, md.size(), md.data());
  return md;
}

std::string hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

Digester::~Digester() = default;
Digester::Digester(Digester&&) noexcept = default;
Digester& Digester::operator=(Digester&&) noexcept = default;

Expected<Digester> Digester::for_digest(std::string_view digest) {
  auto colon = digest.find(':');
  std::string_view alg = colon == std::string_view::npos ? std::string_view() : digest.substr(0, colon);
  std::string_view hex = colon == std::string_view::npos ? std::string_view() : digest.substr(colon + 1);
  std::size_t want = alg == "sha256" ? 64 : 128;
  if (alg != "sha256" && alg != "sha512") return fail(ErrorKind::Input, "unsupported digest \"" + std::string(digest.substr(0, 80)) +
                                              "\" (dockgate verifies sha256 and sha512)");
  if (hex.size() != want || hex.find_first_not_of("0123456789abcdef") != std::string_view::npos)
    return fail(ErrorKind::Input, "invalid digest \"" + std::string(digest.substr(0, 80)) + "\"");
  Digester d;
  d.ctx_ = std::make_unique<Ctx>();
  if (alg == "sha256") {
    sha256_init(&d.ctx_->h.emplace<sha256_ctx>());
  } else {
    sha512_init(&d.ctx_->h.emplace<sha512_ctx>());
  }
  d.alg_ = std::string(alg);
  d.expected_hex_ = std::string(hex);
  return d;
}

void Digester::update(const void* data, std::size_t n) {
  if (n == 0) return;
  auto* bytes = static_cast<const std::uint8_t*>(data);
  if (auto* c = std::get_if<sha256_ctx>(&ctx_->h))
    sha256_update(c, n, bytes);
  else
    sha512_update(&std::get<sha512_ctx>(ctx_->h), n, bytes);
}

bool Digester::matches() {
  std::uint8_t out[SHA512_DIGEST_SIZE];
  unsigned len = 0;
  if (auto* c = std::get_if<sha256_ctx>(&ctx_->h)) {
    len = SHA256_DIGEST_SIZE;
    sha256_digest(c, len, out);
  } else {
    len = SHA512_DIGEST_SIZE;
    sha512_digest(&std::get<sha512_ctx>(ctx_->h), len, out);
  }
  std::string got = hex(out, len);
  actual_ = alg_ + ":" + got;
  return got == expected_hex_;
}

}  // namespace dg::util
