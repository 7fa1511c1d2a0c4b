#include "prometheus/report/messages.h"

#include <gtest/gtest.h>

namespace prometheus::report {
namespace {

TEST(ErrorText, PrefixesEveryLine) {
  EXPECT_EQ(ErrorText("no readable event log"), "prometheus: no readable event log\n");
  EXPECT_EQ(ErrorText("a.log: not JSON\nno readable event log"),
            "prometheus: a.log: not JSON\nprometheus: no readable event log\n");
  EXPECT_EQ(ErrorText(""), "prometheus: \n");
  EXPECT_EQ(ErrorText("a\n"), "prometheus: a\n\n");
}

TEST(WarningText, OneLineEach) {
  EXPECT_EQ(WarningText({}), "");
  EXPECT_EQ(WarningText({"a", "b c"}), "warning: a\nwarning: b c\n");
}

}  // namespace
}  // namespace prometheus::report
