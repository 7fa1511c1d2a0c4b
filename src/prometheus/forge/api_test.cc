#include "prometheus/forge/api.h"

#include <gtest/gtest.h>

#include "prometheus/databricks/routed_transport_for_test.h"
#include "prometheus/forge/forge.h"

namespace prometheus::forge {
namespace {

using databricks::RoutedTransport;

Pacing FakePacing(std::vector<int64_t>& waits) {
  Pacing pacing;
  pacing.now_unix_seconds = [] { return int64_t{1000}; };
  pacing.sleep = [&waits](std::chrono::seconds wait) { waits.push_back(wait.count()); };
  return pacing;
}

TEST(ForgeApi, WaitsForThePrimaryAndSecondaryLimits) {
  RoutedTransport transport;
  int calls = 0;
  transport.Route("GET", "http://h/x", [&](const http::Request&) {
    ++calls;
    if (calls == 1)  // primary: remaining 0 until reset
      return http::Response{403, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1007"}},
                            R"({"message":"API rate limit exceeded"})"};
    if (calls == 2)  // secondary with retry-after
      return http::Response{403, {{"retry-after", "3"}},
                            R"({"message":"You have exceeded a secondary rate limit",
                                "documentation_url":"https://docs.github.com/rest#secondary-rate-limits"})"};
    if (calls == 3)  // secondary without retry-after: a minute
      return http::Response{403, {}, R"({"documentation_url":"https://x#secondary-rate-limits"})"};
    return http::Response{200, {}, R"({"ok":true})"};
  });
  std::vector<int64_t> waits;
  Api api(transport, FakePacing(waits), {{"Authorization", "Bearer secret"}});
  auto answer = api.Call("GET", "http://h/x");
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(waits, (std::vector<int64_t>{7, 3, 60}));
}

TEST(ForgeApi, APlain403IsAnErrorNamingTheEndpointNotTheToken) {
  RoutedTransport transport;
  transport.Route("POST", "http://h/repos/o/r/pulls", [](const http::Request&) {
    return http::Response{403, {{"x-ratelimit-remaining", "4999"}},
                          R"({"message":"Resource not accessible by integration"})"};
  });
  std::vector<int64_t> waits;
  Api api(transport, FakePacing(waits), {{"Authorization", "Bearer secret"}});
  auto answer = api.Call("POST", "http://h/repos/o/r/pulls", nlohmann::json::object());
  ASSERT_FALSE(answer);
  EXPECT_TRUE(waits.empty());
  EXPECT_NE(answer.error().message.find("POST http://h/repos/o/r/pulls"), std::string::npos);
  EXPECT_NE(answer.error().message.find("Resource not accessible"), std::string::npos);
  EXPECT_EQ(answer.error().message.find("secret"), std::string::npos);
}

TEST(ForgeApi, GivesUpOnAResetTooFarAway) {
  RoutedTransport transport;
  transport.Route("GET", "http://h/x", [](const http::Request&) {
    return http::Response{403, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "999999"}}, "{}"};
  });
  std::vector<int64_t> waits;
  Api api(transport, FakePacing(waits), {});
  auto answer = api.Call("GET", "http://h/x");
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(answer.error().message.find("primary limit reached"), std::string::npos);
}

TEST(ForgeApi, FollowsLinkPages) {
  EXPECT_EQ(NextPageUrl(R"(<http://h/p?page=2>; rel="next", <http://h/p?page=5>; rel="last")"),
            "http://h/p?page=2");
  EXPECT_EQ(NextPageUrl(R"(<http://h/p?page=1>; rel="prev")"), "");
  RoutedTransport transport;
  transport.Route("GET", "http://h/p?page=1", [](const http::Request&) {
    return http::Response{200, {{"link", R"(<http://h/p?page=2>; rel="next")"}}, "[1,2]"};
  });
  transport.Route("GET", "http://h/p?page=2", [](const http::Request&) {
    return http::Response{200, {}, "[3]"};
  });
  std::vector<int64_t> waits;
  Api api(transport, FakePacing(waits), {});
  auto all = api.CallPages("http://h/p?page=1");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->dump(), "[1,2,3]");
}

TEST(ForgeApi, ReadsIsoTimes) {
  EXPECT_EQ(ParseIsoMillis("1970-01-01T00:00:01Z"), 1000);
  EXPECT_EQ(ParseIsoMillis("2026-12-07T15:00:00.250Z"), 1796655600250);
  EXPECT_EQ(ParseIsoMillis("2026-12-07T16:00:00+01:00"), 1796655600000);
  EXPECT_EQ(ParseIsoMillis("yesterday"), 0);
}

}  // namespace
}  // namespace prometheus::forge
