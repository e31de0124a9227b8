#include "services/ingest/parser/content_hash.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"

namespace cables::parser {
namespace {

bool IsLineSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// Calls emit(piece) for the pieces of the normalised text, in order. Lines
// are cut at '\n', "\r\n" and '\r'; each goes out without its trailing
// whitespace. Blank lines are held back until a non-blank line follows, so
// trailing ones are dropped; leading ones are never emitted. Lines the
// normalisation leaves as they are go out together with the newlines
// between them, as one piece.
template <typename Emit>
void ForEachNormalizedPiece(absl::string_view text, Emit&& emit) {
  bool any = false;
  size_t pending_blank = 0;
  // The verbatim run [run_begin, run_end) not emitted yet.
  bool run = false;
  size_t run_begin = 0;
  size_t run_end = 0;
  size_t i = 0;
  const size_t n = text.size();
  static constexpr char kNewlines[] = "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n";
  const char* const d = text.data();
  // Most texts (every parsed body) hold no '\r' at all.
  const bool has_cr = n > 0 && std::memchr(d, '\r', n) != nullptr;
  while (i < n) {
    // The line ends at the next '\n', or at an earlier '\r'.
    const void* lf = std::memchr(d + i, '\n', n - i);
    size_t j = lf == nullptr ? n : static_cast<const char*>(lf) - d;
    if (has_cr) {
      const void* cr = std::memchr(d + i, '\r', j - i);
      if (cr != nullptr) j = static_cast<const char*>(cr) - d;
    }
    size_t end = j;
    while (end > i && IsLineSpace(text[end - 1])) --end;
    if (end == i) {
      if (any) ++pending_blank;
    } else if (run && !has_cr && i - run_end == pending_blank + 1) {
      // The text between the run and this line is exactly the newlines
      // the normalised text has there (one '\n' per line end, nothing
      // else): the run grows over them.
      run_end = end;
      pending_blank = 0;
    } else {
      if (run) emit(text.substr(run_begin, run_end - run_begin));
      if (any) {
        size_t newlines = pending_blank + 1;
        while (newlines > 0) {
          const size_t k = std::min(newlines, sizeof(kNewlines) - 1);
          emit(absl::string_view(kNewlines, k));
          newlines -= k;
        }
      }
      pending_blank = 0;
      run = true;
      run_begin = i;
      run_end = end;
      any = true;
    }
    if (j < n && text[j] == '\r' && j + 1 < n && text[j + 1] == '\n') ++j;
    i = j + 1;
  }
  if (run) emit(text.substr(run_begin, run_end - run_begin));
}

// Writes the serialisation through `sink(piece)`.
template <typename Sink>
void Serialize(const cables::v1::Cable& cable, Sink&& sink) {
  auto field = [&sink](absl::string_view name, absl::string_view value) {
    sink(absl::StrCat(name, ":", value.size(), ":"));
    sink(value);
    sink("\n");
  };
  auto text_field = [&sink](absl::string_view name, absl::string_view text) {
    // One normalising pass; the copy gives the length that goes first.
    const std::string normalized = NormalizeForHash(text);
    sink(absl::StrCat(name, ":", normalized.size(), ":"));
    sink(normalized);
    sink("\n");
  };
  sink("cables.v1.content\n");
  field("canonical_id", cable.canonical_id());
  sink(cable.has_created()
           ? absl::StrCat("created:", cable.created().seconds(), "\n")
           : std::string("created:\n"));
  field("origin", cable.origin());
  field("classification", cable.classification());
  text_field("header", cable.header());
  text_field("body", cable.body());
}

// SHA-256, fetched from the default provider once: with OpenSSL 3 the
// implicit fetch of EVP_sha256() in every EVP_DigestInit_ex costs a name
// lookup under a lock, more than hashing a short cable. Never freed (one
// per process).
const EVP_MD* Sha256Md() {
  static const EVP_MD* const md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return md;
}

struct EvpMdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// Feeds pieces to a SHA-256 digest through a small buffer, so short pieces
// (lines) do not each cost a digest update.
class Sha256Sink {
 public:
  explicit Sha256Sink(EVP_MD_CTX* ctx) : ctx_(ctx) {}
  void operator()(absl::string_view piece) {
    if (used_ + piece.size() > sizeof(buffer_)) {
      Flush();
      if (piece.size() >= sizeof(buffer_)) {
        ok_ &= EVP_DigestUpdate(ctx_, piece.data(), piece.size()) == 1;
        return;
      }
    }
    std::memcpy(buffer_ + used_, piece.data(), piece.size());
    used_ += piece.size();
  }
  bool Flush() {
    if (used_ > 0) ok_ &= EVP_DigestUpdate(ctx_, buffer_, used_) == 1;
    used_ = 0;
    return ok_;
  }

 private:
  EVP_MD_CTX* ctx_;
  char buffer_[8192];
  size_t used_ = 0;
  bool ok_ = true;
};

std::string Hex(const unsigned char* digest, unsigned int len) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xF]);
  }
  return hex;
}

}  // namespace

std::string NormalizeForHash(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachNormalizedPiece(text, [&out](absl::string_view piece) {
    out.append(piece.data(), piece.size());
  });
  return out;
}

std::string ContentSerialization(const cables::v1::Cable& cable) {
  std::string out;
  out.reserve(cable.header().size() + cable.body().size() + 256);
  Serialize(cable, [&out](absl::string_view piece) {
    out.append(piece.data(), piece.size());
  });
  return out;
}

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::unique_ptr<EVP_MD_CTX, EvpMdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (ctx == nullptr ||
      EVP_DigestInit_ex(ctx.get(), Sha256Md(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) {
    return std::string();  // OpenSSL allocation failure only
  }
  return Hex(digest, len);
}

std::string ContentSha256(const cables::v1::Cable& cable) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::unique_ptr<EVP_MD_CTX, EvpMdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (ctx == nullptr ||
      EVP_DigestInit_ex(ctx.get(), Sha256Md(), nullptr) != 1) {
    return std::string();
  }
  Sha256Sink sink(ctx.get());
  Serialize(cable, [&sink](absl::string_view piece) { sink(piece); });
  if (!sink.Flush() || EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) {
    return std::string();
  }
  return Hex(digest, len);
}

}  // namespace cables::parser
