#include "prometheus/http/client.h"

#include <gtest/gtest.h>

#include <deque>
#include <mutex>
#include <variant>

namespace prometheus::http {
namespace {

using std::chrono::milliseconds;

// Answers from a script, one per Send; records what it was sent.
class ScriptedTransport : public Transport {
 public:
  void Answer(int status, std::map<std::string, std::string> headers = {}, std::string body = "") {
    script_.push_back(Response{status, std::move(headers), std::move(body)});
  }
  void NoAnswer(std::string why) { script_.push_back(Error{ErrorCode::kUnavailable, std::move(why)}); }

  Result<Response> Send(const Request& request) override {
    std::lock_guard lock(mutex_);
    ++sent;
    if (script_.empty()) return Response{200, {}, "{}"};
    auto next = std::move(script_.front());
    script_.pop_front();
    if (auto* error = std::get_if<Error>(&next)) return std::unexpected(*error);
    return std::get<Response>(next);
  }

  int sent = 0;

 private:
  std::mutex mutex_;
  std::deque<std::variant<Response, Error>> script_;
};

// A clock that moves only when the client sleeps.
struct FakeTime {
  std::chrono::steady_clock::time_point now{};
  std::vector<milliseconds> sleeps;
  Timing timing() {
    return Timing{[this] { return now; },
                  [this](milliseconds wait) {
                    sleeps.push_back(wait);
                    now += wait;
                  },
                  [] { return 0.5; }};
  }
};

Request Get() {
  Request request;
  request.url = "https://example.test/api/2.2/jobs/runs/list?page_token=abc";
  request.headers = {{"Authorization", "Bearer dapi-secret-token"}};
  return request;
}

TEST(ClientTest, RetriesThrottlingHonouringRetryAfterThenReturnsTheAnswer) {
  ScriptedTransport transport;
  transport.Answer(429, {{"retry-after", "7"}});
  transport.Answer(503, {{"retry-after", "2"}});
  transport.Answer(200, {}, "{\"runs\":[]}");
  FakeTime time;
  Client client(transport, {}, time.timing());
  auto answer = client.Send(Get());
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->body, "{\"runs\":[]}");
  EXPECT_EQ(transport.sent, 3);
  ASSERT_EQ(time.sleeps.size(), 2u);
  EXPECT_GE(time.sleeps[0], milliseconds(7000));  // the server's wait, at least
  EXPECT_LT(time.sleeps[0], milliseconds(7300));
  EXPECT_GE(time.sleeps[1], milliseconds(2000));
  EXPECT_EQ(client.retries(), 2);
}

TEST(ClientTest, RetriesOther5xxAndLostConnectionsWithGrowingBackoff) {
  ScriptedTransport transport;
  transport.Answer(500);
  transport.NoAnswer("Connection reset by peer");
  transport.Answer(502);
  transport.NoAnswer("Timeout was reached");
  transport.Answer(504);
  transport.Answer(200);
  FakeTime time;
  Client client(transport, {}, time.timing());
  auto answer = client.Send(Get());
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->status, 200);
  ASSERT_EQ(time.sleeps.size(), 5u);
  for (size_t i = 1; i < time.sleeps.size(); ++i) EXPECT_GT(time.sleeps[i], time.sleeps[i - 1]);
  EXPECT_GE(time.sleeps[0], milliseconds(125));  // half of 250 ms fixed, half jitter
}

TEST(ClientTest, ClientErrorsAreNotRetried) {
  for (int status : {400, 401, 403, 404, 409}) {
    ScriptedTransport transport;
    transport.Answer(status, {}, "{\"error_code\":\"X\"}");
    FakeTime time;
    auto answer = Client(transport, {}, time.timing()).Send(Get());
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, status);
    EXPECT_EQ(transport.sent, 1) << status;
    EXPECT_TRUE(time.sleeps.empty());
  }
}

TEST(ClientTest, A5xxToANonIdempotentPostIsNotRetriedButThrottlingIs) {
  ScriptedTransport transport;
  transport.Answer(429);
  transport.Answer(500);
  FakeTime time;
  Request post = Get();
  post.method = "POST";
  post.idempotent = false;
  auto answer = Client(transport, {}, time.timing()).Send(post);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 500);
  EXPECT_EQ(transport.sent, 2);
}

TEST(ClientTest, GivesUpAtTheTimeBoundNamingTheEndpointNeverTheToken) {
  ScriptedTransport transport;
  for (int i = 0; i < 1000; ++i) transport.Answer(503);
  FakeTime time;
  RetryPolicy policy;
  policy.total_limit = milliseconds(30'000);
  auto answer = Client(transport, policy, time.timing()).Send(Get());
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, ErrorCode::kUnavailable);
  const std::string& message = answer.error().message;
  EXPECT_NE(message.find("GET https://example.test/api/2.2/jobs/runs/list: gave up after"),
            std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 503"), std::string::npos);
  EXPECT_EQ(message.find("dapi-secret-token"), std::string::npos);
  EXPECT_EQ(message.find("page_token"), std::string::npos);
  milliseconds total{0};
  for (auto wait : time.sleeps) total += wait;
  EXPECT_LE(total, milliseconds(30'000));
  EXPECT_GT(transport.sent, 3);
}

TEST(ClientTest, ARetryAfterLongerThanTheClientWaitsFailsAtOnce) {
  ScriptedTransport transport;
  transport.Answer(429, {{"retry-after", "3600"}});
  FakeTime time;
  auto answer = Client(transport, {}, time.timing()).Send(Get());
  ASSERT_FALSE(answer);
  EXPECT_NE(answer.error().message.find("retry after 3600 s"), std::string::npos);
  EXPECT_TRUE(time.sleeps.empty());
}

TEST(ClientTest, ParsesRetryAfterAsSecondsOrAnHttpDate) {
  EXPECT_EQ(ParseRetryAfter("120", 0), milliseconds(120'000));
  EXPECT_EQ(ParseRetryAfter(" 0 ", 0), milliseconds(0));
  // Sun, 06 Nov 1994 08:49:37 GMT is 784111777.
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111770), milliseconds(7000));
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111800), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("soon", 0), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("", 0), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", 0), std::nullopt);
}

TEST(ClientTest, StatusErrorsCarryACodeFromTheStatus) {
  Request request = Get();
  Response response{404, {}, ""};
  Error error = StatusError(request, response, "RESOURCE_DOES_NOT_EXIST: No file");
  EXPECT_EQ(error.code, ErrorCode::kNotFound);
  EXPECT_EQ(error.message,
            "GET https://example.test/api/2.2/jobs/runs/list: HTTP 404: RESOURCE_DOES_NOT_EXIST: No file");
  EXPECT_EQ(StatusError(request, {403, {}, ""}, "").code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(StatusError(request, {503, {}, ""}, "").code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace prometheus::http
