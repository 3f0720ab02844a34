// The OAuth2 token client against a small token endpoint on 127.0.0.1 that each test starts itself.

#include "mail/oauth2.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ispd::mail {
namespace {

using namespace std::chrono_literals;

struct Reply {
  int status = 200;
  std::string body;
};

// An HTTP/1.1 server on 127.0.0.1 that answers every request with what `answer` returns for its body.
class TokenEndpoint {
 public:
  explicit TokenEndpoint(std::function<Reply(const std::string& body)> answer) : answer_(std::move(answer)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 8) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TokenEndpoint() {
    stopping_ = true;
    thread_.join();
    ::close(listener_);
  }
  TokenEndpoint(const TokenEndpoint&) = delete;
  TokenEndpoint& operator=(const TokenEndpoint&) = delete;

  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/tenant/oauth2/v2.0/token";
  }
  [[nodiscard]] int requests() const { return requests_; }
  [[nodiscard]] std::vector<std::string> bodies() const {
    std::lock_guard lock(mutex_);
    return bodies_;
  }

 private:
  void serve() {
    while (!stopping_) {
      pollfd ready{.fd = listener_, .events = POLLIN, .revents = 0};
      if (::poll(&ready, 1, 50) <= 0) continue;
      const int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      handle(client);
      ::close(client);
    }
  }

  void handle(int client) {
    std::string request;
    char buffer[4096];
    std::size_t header_end = std::string::npos;
    std::size_t wanted = 0;
    while (true) {
      if (header_end != std::string::npos && request.size() >= header_end + 4 + wanted) break;
      pollfd ready{.fd = client, .events = POLLIN, .revents = 0};
      if (::poll(&ready, 1, 5000) <= 0) return;
      const auto n = ::recv(client, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      request.append(buffer, static_cast<std::size_t>(n));
      if (header_end == std::string::npos && (header_end = request.find("\r\n\r\n")) != std::string::npos) {
        const auto at = request.find("Content-Length: ");
        if (at != std::string::npos && at < header_end) wanted = std::stoul(request.substr(at + 16));
      }
    }
    const std::string body = request.substr(header_end + 4, wanted);
    {
      std::lock_guard lock(mutex_);
      bodies_.push_back(body);
    }
    ++requests_;
    const Reply reply = answer_(body);
    std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " Whatever\r\nContent-Type: application/json\r\n" +
                      "Content-Length: " + std::to_string(reply.body.size()) + "\r\nConnection: close\r\n\r\n" +
                      reply.body;
    for (std::size_t sent = 0; sent < out.size();) {
      const auto n = ::send(client, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  std::function<Reply(const std::string&)> answer_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> bodies_;
  std::thread thread_;
};

constexpr const char* kSecret = "s3cr3t~Value+with/odd=chars";

OAuth2Settings settings_for(const TokenEndpoint& endpoint) {
  OAuth2Settings s;
  s.token_url = endpoint.url();
  s.client_id = "6f1c2a9e-ispd-client";
  s.client_secret = kSecret;
  s.timeout = 5s;
  return s;
}

Reply token_reply(const std::string& token, int seconds) {
  return {200, R"({"token_type":"Bearer","expires_in":)" + std::to_string(seconds) + R"(,"ext_expires_in":)" +
                   std::to_string(seconds) + R"(,"access_token":")" + token + "\"}"};
}

const TokenClock::time_point kNow = TokenClock::time_point(std::chrono::seconds(1'780'000'000));

TEST(OAuth2Test, FetchesTokenWithTheClientCredentialsGrant) {
  TokenEndpoint endpoint([](const std::string&) { return token_reply("eyJ0eXAiOiJKV1Qi.good.token", 3599); });
  const auto token = fetch_token(settings_for(endpoint), kNow);
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_EQ(token->value, "eyJ0eXAiOiJKV1Qi.good.token");
  EXPECT_EQ(token->expires_at, kNow + 3599s);
  ASSERT_EQ(endpoint.bodies().size(), 1U);
  EXPECT_EQ(endpoint.bodies()[0],
            "grant_type=client_credentials&client_id=6f1c2a9e-ispd-client"
            "&client_secret=s3cr3t~Value%2Bwith%2Fodd%3Dchars&scope=https%3A%2F%2Foutlook.office365.com%2F.default");
}

TEST(OAuth2Test, ReadsALifetimeGivenAsAString) {
  TokenEndpoint endpoint([](const std::string&) {
    return Reply{200, R"({"token_type":"Bearer","expires_in":"3600","access_token":"v1-token"})"};
  });
  const auto token = fetch_token(settings_for(endpoint), kNow);
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_EQ(token->expires_at, kNow + 3600s);
}

TEST(OAuth2Test, RefusedClientNamesTheTokenUrlAndTheReasonButNotTheSecret) {
  TokenEndpoint endpoint([](const std::string&) {
    return Reply{401, std::string(R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client )") +
                          R"(secret provided. Got )" + kSecret + R"(.\r\nTrace ID: 0b5e\r\nCorrelation ID: 77f1"})"};
  });
  const auto token = fetch_token(settings_for(endpoint), kNow);
  ASSERT_FALSE(token.ok());
  const auto& message = token.error().message;
  EXPECT_NE(message.find(endpoint.url()), std::string::npos) << message;
  EXPECT_NE(message.find("refused OAuth2 client 6f1c2a9e-ispd-client"), std::string::npos) << message;
  EXPECT_NE(message.find("invalid_client"), std::string::npos) << message;
  EXPECT_NE(message.find("AADSTS7000215: Invalid client secret provided"), std::string::npos) << message;
  EXPECT_EQ(message.find(kSecret), std::string::npos) << message;
  EXPECT_EQ(message.find("Trace ID"), std::string::npos) << message;
}

TEST(OAuth2Test, AnErrorWithoutJsonGivesTheHttpStatus) {
  TokenEndpoint endpoint([](const std::string&) { return Reply{503, "<html>Service Unavailable</html>"}; });
  const auto token = fetch_token(settings_for(endpoint), kNow);
  ASSERT_FALSE(token.ok());
  EXPECT_NE(token.error().message.find("answered HTTP 503"), std::string::npos) << token.error().message;
}

TEST(OAuth2Test, RefusesAnOversizedReply) {
  TokenEndpoint endpoint([](const std::string&) { return token_reply(std::string(100'000, 'a'), 3600); });
  const auto token = fetch_token(settings_for(endpoint), kNow);
  ASSERT_FALSE(token.ok());
  EXPECT_NE(token.error().message.find("sent more than 65536 bytes"), std::string::npos) << token.error().message;
}

TEST(OAuth2Test, RefusesMalformedReplies) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"access_token\": \"abc\", \"expires_in\": 36", "not JSON"},
      {R"(["a token"])", "not JSON"},
      {R"({"token_type":"Bearer","expires_in":3600})", "no access_token"},
      {R"({"token_type":"Bearer","expires_in":3600,"access_token":""})", "no access_token"},
      {R"({"token_type":"Bearer","expires_in":3600,"access_token":"two words"})", "not a bearer token"},
      {R"({"token_type":"mac","expires_in":3600,"access_token":"abc"})", "not a bearer token"},
      {R"({"token_type":"Bearer","access_token":"abc"})", "no expires_in"},
      {R"({"token_type":"Bearer","expires_in":-5,"access_token":"abc"})", "not a lifetime"},
      {R"({"token_type":"Bearer","expires_in":"soon","access_token":"abc"})", "not a lifetime"},
      {R"({"token_type":"Bearer","expires_in":9999999,"access_token":"abc"})", "not a lifetime"},
  };
  for (const auto& [body, expected] : cases) {
    TokenEndpoint endpoint([&body = body](const std::string&) { return Reply{200, body}; });
    const auto token = fetch_token(settings_for(endpoint), kNow);
    ASSERT_FALSE(token.ok()) << body;
    EXPECT_NE(token.error().message.find(expected), std::string::npos) << body << " → " << token.error().message;
    EXPECT_NE(token.error().message.find(endpoint.url()), std::string::npos) << token.error().message;
  }
}

TEST(OAuth2Test, SendsTheSecretOverPlainHttpOnlyToThisMachine) {
  OAuth2Settings s;
  s.token_url = "http://login.microsoftonline.com/tenant/oauth2/v2.0/token";
  s.client_id = "id";
  s.client_secret = kSecret;
  const auto token = fetch_token(s, kNow);
  ASSERT_FALSE(token.ok());
  EXPECT_NE(token.error().message.find("must use https://"), std::string::npos) << token.error().message;
  s.token_url = "https://user:pw@login.microsoftonline.com/tenant/oauth2/v2.0/token";
  EXPECT_FALSE(fetch_token(s, kNow).ok());
  s.token_url = "ftp://login.microsoftonline.com/token";
  EXPECT_FALSE(fetch_token(s, kNow).ok());
}

TEST(OAuth2Test, AnUnreachableEndpointIsAClearError) {
  std::string url;
  {
    TokenEndpoint gone([](const std::string&) { return Reply{}; });
    url = gone.url();
  }
  OAuth2Settings s;
  s.token_url = url;
  s.client_id = "id";
  s.client_secret = kSecret;
  s.timeout = 5s;
  const auto token = fetch_token(s, kNow);
  ASSERT_FALSE(token.ok());
  EXPECT_NE(token.error().message.find("could not reach the token endpoint " + url), std::string::npos)
      << token.error().message;
}

TEST(OAuth2Test, KeepsTheTokenAndRenewsItFiveMinutesBeforeExpiry) {
  std::atomic<int> issued{0};
  TokenEndpoint endpoint([&](const std::string&) { return token_reply("token-" + std::to_string(++issued), 3600); });
  OAuth2Client client(settings_for(endpoint));
  EXPECT_EQ(client.token(kNow).value(), "token-1");
  EXPECT_EQ(client.token(kNow + 30min).value(), "token-1");
  EXPECT_EQ(client.token(kNow + 54min + 59s).value(), "token-1");
  EXPECT_EQ(endpoint.requests(), 1);
  // Less than five minutes left: a new one, kept in its turn.
  EXPECT_EQ(client.token(kNow + 55min).value(), "token-2");
  EXPECT_EQ(client.token(kNow + 60min).value(), "token-2");
  EXPECT_EQ(endpoint.requests(), 2);
}

TEST(OAuth2Test, RenewsAShortLivedTokenHalfWayThroughItsLife) {
  std::atomic<int> issued{0};
  TokenEndpoint endpoint([&](const std::string&) { return token_reply("token-" + std::to_string(++issued), 240); });
  OAuth2Client client(settings_for(endpoint));
  EXPECT_EQ(client.token(kNow).value(), "token-1");
  EXPECT_EQ(client.token(kNow + 119s).value(), "token-1");
  EXPECT_EQ(client.token(kNow + 120s).value(), "token-2");
}

TEST(OAuth2Test, KeepsUsingTheTokenWhileItLivesIfRenewingFails) {
  std::atomic<bool> refusing{false};
  TokenEndpoint endpoint([&](const std::string&) {
    return refusing ? Reply{500, R"({"error":"temporarily_unavailable"})"} : token_reply("token-1", 3600);
  });
  OAuth2Client client(settings_for(endpoint));
  EXPECT_EQ(client.token(kNow).value(), "token-1");
  refusing = true;
  EXPECT_EQ(client.token(kNow + 58min).value(), "token-1");
  const auto expired = client.token(kNow + 60min);
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.error().message.find("temporarily_unavailable"), std::string::npos) << expired.error().message;
}

TEST(OAuth2Test, ForgetsARefusedTokenAndAsksAgain) {
  std::atomic<int> issued{0};
  TokenEndpoint endpoint([&](const std::string&) { return token_reply("token-" + std::to_string(++issued), 3600); });
  OAuth2Client client(settings_for(endpoint));
  EXPECT_EQ(client.token(kNow).value(), "token-1");
  client.forget();
  EXPECT_EQ(client.token(kNow + 1min).value(), "token-2");
  // A clock set back before the token was issued asks again too.
  EXPECT_EQ(client.token(kNow).value(), "token-3");
}

}  // namespace
}  // namespace ispd::mail
