#include "prometheus/http/curl_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <thread>

#include "prometheus/http/client.h"

namespace prometheus::http {
namespace {

// A one-connection-at-a-time HTTP server on a loopback port; `reply` sees
// the request's bytes and returns the response's, or nullopt to reset the
// connection without answering.
class LoopbackServer {
 public:
  explicit LoopbackServer(int connections,
                          std::function<std::optional<std::string>(const std::string&)> reply)
      : reply_(std::move(reply)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    listen(listener_, 8);
    thread_ = std::thread([this, connections] {
      for (int i = 0; i < connections; ++i) Serve(accept(listener_, nullptr, nullptr));
    });
  }
  ~LoopbackServer() {
    thread_.join();
    close(listener_);
  }
  std::string url(std::string_view path) const {
    return fmt::format("http://127.0.0.1:{}{}", port_, path);
  }
  std::vector<std::string> requests;

 private:
  void Serve(int connection) {
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = read(connection, buffer, sizeof buffer);
      if (n <= 0) break;
      request.append(buffer, static_cast<size_t>(n));
    }
    requests.push_back(request);
    if (auto response = reply_(request)) {
      (void)!write(connection, response->data(), response->size());
    } else {
      linger hard{1, 0};  // close with RST
      setsockopt(connection, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
    close(connection);
  }

  std::function<std::optional<std::string>(const std::string&)> reply_;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST(CurlTransportTest, SendsHeadersAndReadsStatusHeadersAndBody) {
  LoopbackServer server(1, [](const std::string&) {
    return std::string(
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nContent-Length: 2\r\n"
        "Connection: close\r\n\r\n{}");
  });
  auto transport = CurlTransport();
  Request request;
  request.url = server.url("/api/x?a=1");
  request.headers = {{"Authorization", "Bearer t0k"}};
  auto answer = transport->Send(request);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->status, 429);
  EXPECT_EQ(answer->Header("retry-after"), "3");
  EXPECT_EQ(answer->body, "{}");
  ASSERT_EQ(server.requests.size(), 1u);
  EXPECT_TRUE(server.requests[0].starts_with("GET /api/x?a=1 HTTP/1.1\r\n"));
  EXPECT_NE(server.requests[0].find("Authorization: Bearer t0k\r\n"), std::string::npos);
}

TEST(CurlTransportTest, AResetConnectionIsUnavailableAndTheClientRetriesIt) {
  int served = 0;
  LoopbackServer server(2, [&](const std::string&) -> std::optional<std::string> {
    if (served++ == 0) return std::nullopt;
    return std::string("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  });
  auto transport = CurlTransport();
  Request request;
  request.url = server.url("/files/a");
  RetryPolicy policy;
  policy.first_backoff = std::chrono::milliseconds(10);
  auto answer = Client(*transport, policy).Send(request);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->body, "hello");
}

TEST(CurlTransportTest, ASlowAnswerTimesOutAsUnavailable) {
  LoopbackServer server(1, [](const std::string&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    return std::string("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  });
  CurlOptions options;
  options.request_timeout = std::chrono::milliseconds(200);
  auto transport = CurlTransport(options);
  Request request;
  request.url = server.url("/slow");
  auto answer = transport->Send(request);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(answer.error().message.find("GET http://127.0.0.1:"), std::string::npos);
}

}  // namespace
}  // namespace prometheus::http
