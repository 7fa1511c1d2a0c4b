#include "prometheus/base/fnv1a.h"

#include <gtest/gtest.h>

namespace prometheus {
namespace {

// Reference values of FNV-1a 64 (www.isthe.com/chongo/tech/comp/fnv).
TEST(Fnv1a, MatchesTheReferenceValues) {
  EXPECT_EQ(Fnv1a(kFnv1aOffsetBasis, ""), 0xcbf29ce484222325ull);
  EXPECT_EQ(Fnv1a(kFnv1aOffsetBasis, "a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(Fnv1a(kFnv1aOffsetBasis, "foobar"), 0x85944171f73967e8ull);
}

// Stored ids and fingerprints were made from this seed: its hashes must never
// change.
TEST(Fnv1a, TheStableSeedHashesAsItAlwaysHas) {
  EXPECT_EQ(Fnv1a(kStableHashSeed, "prometheus"), 0x6cb673e1e02e67dbull);
}

TEST(Fnv1a, HashingInPiecesEqualsHashingTheWhole) {
  EXPECT_EQ(Fnv1a(Fnv1a(kFnv1aOffsetBasis, "foo"), "bar"), Fnv1a(kFnv1aOffsetBasis, "foobar"));
}

}  // namespace
}  // namespace prometheus
