#include "src/util/digest.hpp"

#include <openssl/evp.h>

namespace dg::util {

struct Digester::Ctx {
  EVP_MD_CTX* md = nullptr;
  ~Ctx() {
    if (md) EVP_MD_CTX_free(md);
  }
};

Digester::~Digester() = default;
Digester::Digester(Digester&&) noexcept = default;
Digester& Digester::operator=(Digester&&) noexcept = default;

Expected<Digester> Digester::for_digest(std::string_view digest) {
  auto colon = digest.find(':');
  std::string_view alg = colon == std::string_view::npos ? std::string_view() : digest.substr(0, colon);
  std::string_view hex = colon == std::string_view::npos ? std::string_view() : digest.substr(colon + 1);
  const EVP_MD* md = alg == "sha256" ? EVP_sha256() : alg == "sha512" ? EVP_sha512() : nullptr;
  std::size_t want = alg == "sha256" ? 64 : 128;
  if (!md) return fail(ErrorKind::Input, "unsupported digest \"" + std::string(digest.substr(0, 80)) +
                                              "\" (dockgate verifies sha256 and sha512)");
  if (hex.size() != want || hex.find_first_not_of("0123456789abcdef") != std::string_view::npos)
    return fail(ErrorKind::Input, "invalid digest \"" + std::string(digest.substr(0, 80)) + "\"");
  Digester d;
  d.ctx_ = std::make_unique<Ctx>();
  d.ctx_->md = EVP_MD_CTX_new();
  if (!d.ctx_->md || EVP_DigestInit_ex(d.ctx_->md, md, nullptr) != 1)
    return fail(ErrorKind::Internal, "cannot initialize " + std::string(alg));
  d.alg_ = std::string(alg);
  d.expected_hex_ = std::string(hex);
  return d;
}

void Digester::update(const void* data, std::size_t n) {
  if (n > 0) EVP_DigestUpdate(ctx_->md, data, n);
}

bool Digester::matches() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_->md, out, &len);
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < len; ++i) {
    hex += digits[out[i] >> 4];
    hex += digits[out[i] & 15];
  }
  actual_ = alg_ + ":" + hex;
  return hex == expected_hex_;
}

}  // namespace dg::util
