#include "services/metadata/line_diff.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace cables::metadata {
namespace {

enum class Kind { kSame, kDel, kAdd };

struct Edit {
  Kind kind;
  size_t a;  // line index in `from` (kSame, kDel)
  size_t b;  // line index in `to` (kSame, kAdd)
};

std::vector<absl::string_view> Lines(absl::string_view text) {
  if (text.empty()) return {};
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::vector<Edit> Edits(const std::vector<absl::string_view>& a,
                        const std::vector<absl::string_view>& b) {
  size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) {
    ++suf;
  }
  const size_t n = a.size() - pre - suf;
  const size_t m = b.size() - pre - suf;
  std::vector<Edit> edits;
  for (size_t i = 0; i < pre; ++i) edits.push_back({Kind::kSame, i, i});
  if (static_cast<uint64_t>(n + 1) * (m + 1) > (16u << 20)) {
    for (size_t i = 0; i < n; ++i) edits.push_back({Kind::kDel, pre + i, 0});
    for (size_t j = 0; j < m; ++j) edits.push_back({Kind::kAdd, 0, pre + j});
  } else {
    // lcs[i][j]: LCS length of a[pre+i..pre+n) and b[pre+j..pre+m).
    std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& {
      return lcs[i * (m + 1) + j];
    };
    for (size_t i = n; i-- > 0;) {
      for (size_t j = m; j-- > 0;) {
        at(i, j) = a[pre + i] == b[pre + j]
                       ? at(i + 1, j + 1) + 1
                       : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] == b[pre + j]) {
        edits.push_back({Kind::kSame, pre + i, pre + j});
        ++i;
        ++j;
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        edits.push_back({Kind::kDel, pre + i, 0});
        ++i;
      } else {
        edits.push_back({Kind::kAdd, 0, pre + j});
        ++j;
      }
    }
  }
  for (size_t k = 0; k < suf; ++k) {
    edits.push_back({Kind::kSame, pre + n + k, pre + m + k});
  }
  return edits;
}

std::string Range(size_t start, size_t count) {
  // Unified diff convention: an empty range names the line before it.
  if (count == 0) return absl::StrCat(start, ",0");
  if (count == 1) return absl::StrCat(start + 1);
  return absl::StrCat(start + 1, ",", count);
}

}  // namespace

std::string UnifiedLineDiff(absl::string_view from, absl::string_view to,
                            absl::string_view from_label,
                            absl::string_view to_label, int context) {
  const std::vector<absl::string_view> a = Lines(from);
  const std::vector<absl::string_view> b = Lines(to);
  const std::vector<Edit> edits = Edits(a, b);
  const size_t ctx = static_cast<size_t>(std::max(context, 0));
  std::string out;
  size_t k = 0;
  while (k < edits.size()) {
    if (edits[k].kind == Kind::kSame) {
      ++k;
      continue;
    }
    // A hunk: from ctx lines before this change to ctx lines after the last
    // change that is at most 2*ctx unchanged lines from the previous one.
    const size_t start = k >= ctx ? k - ctx : 0;
    size_t end = k;  // one past the last change
    size_t scan = k;
    while (scan < edits.size()) {
      if (edits[scan].kind != Kind::kSame) {
        end = scan + 1;
        ++scan;
        continue;
      }
      size_t run = scan;
      while (run < edits.size() && edits[run].kind == Kind::kSame) ++run;
      if (run < edits.size() && run - scan <= 2 * ctx) {
        scan = run;
        continue;
      }
      break;
    }
    const size_t stop = std::min(edits.size(), end + ctx);
    size_t a_start = 0, b_start = 0, a_count = 0, b_count = 0;
    bool a_set = false, b_set = false;
    // Positions: the first line of each side within the hunk.
    for (size_t e = start; e < stop; ++e) {
      if (edits[e].kind != Kind::kAdd) {
        if (!a_set) a_start = edits[e].a, a_set = true;
        ++a_count;
      }
      if (edits[e].kind != Kind::kDel) {
        if (!b_set) b_start = edits[e].b, b_set = true;
        ++b_count;
      }
    }
    if (!a_set || !b_set) {
      // One side is empty in this hunk: its position is the number of its
      // lines before the hunk.
      size_t a_before = 0, b_before = 0;
      for (size_t e = 0; e < start; ++e) {
        if (edits[e].kind != Kind::kAdd) ++a_before;
        if (edits[e].kind != Kind::kDel) ++b_before;
      }
      if (!a_set) a_start = a_before;
      if (!b_set) b_start = b_before;
    }
    if (out.empty())
      absl::StrAppend(&out, "--- ", from_label, "\n+++ ", to_label, "\n");
    absl::StrAppend(&out, "@@ -", Range(a_start, a_count), " +",
                    Range(b_start, b_count), " @@\n");
    for (size_t e = start; e < stop; ++e) {
      switch (edits[e].kind) {
        case Kind::kSame:
          absl::StrAppend(&out, " ", a[edits[e].a], "\n");
          break;
        case Kind::kDel:
          absl::StrAppend(&out, "-", a[edits[e].a], "\n");
          break;
        case Kind::kAdd:
          absl::StrAppend(&out, "+", b[edits[e].b], "\n");
          break;
      }
    }
    k = stop;
  }
  return out;
}

}  // namespace cables::metadata
