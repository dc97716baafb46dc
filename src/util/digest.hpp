#pragma once
// Content digests as OCI and Docker write them ("sha256:<hex>"), computed while data streams
// past, so a blob is verified in the same pass that reads it.
#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "src/util/error.hpp"

namespace dg::util {

// SHA-256 of `data` with a stack context: fingerprints hash every finding, and a context set up
// per call (OpenSSL's EVP) cost more than the hashing itself.
std::array<unsigned char, 32> sha256(std::string_view data);

// `n` bytes as lowercase hex.
std::string hex(const unsigned char* bytes, std::size_t n);

class Digester {
 public:
  // "sha256:…" or "sha512:…"; any other algorithm, or a malformed digest, is an Input error.
  static Expected<Digester> for_digest(std::string_view digest);
  ~Digester();
  Digester(Digester&&) noexcept;
  Digester& operator=(Digester&&) noexcept;

  void update(const void* data, std::size_t n);
  // True when everything passed to update() hashes to the expected digest (ends the digest).
  bool matches();
  // "sha256:<hex>" of what was hashed; valid after matches().
  const std::string& actual() const { return actual_; }

 private:
  Digester() = default;
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
  std::string expected_hex_, alg_, actual_;
};

}  // namespace dg::util
