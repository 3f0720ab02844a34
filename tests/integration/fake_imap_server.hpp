#pragma once
// Small IMAP servers on loopback that misbehave on purpose, for the tests of
// ispd's IMAP client and of the daemon against them: silent, scripted, or
// echoing every login in its refusal.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace ispd::test {

// A listening TCP socket on an ephemeral port, closed on destruction.
class Listener {
 public:
  explicit Listener(const char* address = "127.0.0.1") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int yes = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    ::inet_pton(AF_INET, address, &addr.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 8) != 0) {
      ADD_FAILURE() << "could not listen on " << address;
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() { close(); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A scripted IMAP server for `connections` connections, one after another: it
// greets each, then answers each command line with what reply() returns for
// it ("" closes the connection). Everything it received is kept for the test
// to check.
class FakeImapServer {
 public:
  using Reply = std::function<std::string(const std::string& tag, const std::string& command)>;

  FakeImapServer(const char* address, std::string greeting, Reply reply, int connections = 1)
      : listener_(address), greeting_(std::move(greeting)), reply_(std::move(reply)), connections_(connections) {
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeImapServer() {
    stopping_ = true;
    thread_.join();
  }
  FakeImapServer(const FakeImapServer&) = delete;
  FakeImapServer& operator=(const FakeImapServer&) = delete;

  [[nodiscard]] int port() const { return listener_.port(); }
  [[nodiscard]] std::vector<std::string> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

  // The usual answers of a small IMAP4rev1 server that lets anyone in.
  static std::string standard(const std::string& tag, const std::string& command) {
    const auto is = [&](std::string_view word) { return command.rfind(word, 0) == 0; };
    if (is("CAPABILITY")) return "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN\r\n" + tag + " OK done\r\n";
    if (is("AUTHENTICATE") || is("LOGIN")) return tag + " OK logged in\r\n";
    if (is("LIST")) return "* LIST (\\Noselect) \"/\" \"\"\r\n" + tag + " OK done\r\n";
    if (is("SELECT")) return "* 1 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n" + tag + " OK [READ-WRITE] done\r\n";
    if (is("FETCH 1:1 ")) return "* 1 FETCH (UID 1 RFC822.SIZE 10)\r\n" + tag + " OK done\r\n";
    if (is("LOGOUT")) return "* BYE bye\r\n" + tag + " OK done\r\n";
    return tag + " BAD unknown\r\n";
  }

 private:
  bool wait_readable(int fd) {
    while (!stopping_) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) > 0) return true;
    }
    return false;
  }

  void serve() {
    for (int served = 0; served < connections_; ++served) {
      if (!wait_readable(listener_.fd())) return;
      const int client = ::accept(listener_.fd(), nullptr, nullptr);
      if (client < 0) return;
      serve_one(client);
    }
  }

  void serve_one(int client) {
    send_all(client, greeting_);
    std::string buffer;
    char chunk[4096];
    bool open = true;
    while (open && wait_readable(client)) {
      const auto n = ::recv(client, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      buffer.append(chunk, static_cast<std::size_t>(n));
      for (auto eol = buffer.find("\r\n"); open && eol != std::string::npos; eol = buffer.find("\r\n")) {
        const std::string line = buffer.substr(0, eol);
        buffer.erase(0, eol + 2);
        {
          std::lock_guard lock(mutex_);
          received_.push_back(line);
        }
        const auto space = line.find(' ');
        const std::string tag = line.substr(0, space);
        const std::string command = space == std::string::npos ? "" : line.substr(space + 1);
        const std::string answer = reply_(tag, command);
        if (answer.empty()) {
          open = false;
        } else {
          send_all(client, answer);
        }
      }
    }
    ::close(client);
  }

  static void send_all(int fd, std::string_view data) {
    while (!data.empty()) {
      const auto n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  Listener listener_;
  std::string greeting_;
  Reply reply_;
  int connections_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> received_;
  std::thread thread_;
};

// A server that offers the capabilities given and refuses every login, echoing in its refusal what
// it was sent, through every step of an AUTHENTICATE exchange.
inline FakeImapServer::Reply echoing_every_login(std::string capabilities) {
  struct Exchange {
    std::string tag;  // of the AUTHENTICATE under way; empty when none is
    bool asks_password = false;
  };
  auto exchange = std::make_shared<Exchange>();
  return [capabilities = std::move(capabilities), exchange](const std::string& tag, const std::string& command) {
    const auto refuse = [](const std::string& to, const std::string& sent) {
      return to + " NO [AUTHENTICATIONFAILED] you sent " + sent + "\r\n";
    };
    if (!exchange->tag.empty()) {
      // A client's answer within the exchange has no tag: the whole line is its base64.
      const std::string line = command.empty() ? tag : tag + " " + command;
      if (exchange->asks_password) {
        exchange->asks_password = false;
        return std::string("+ UGFzc3dvcmQ6\r\n");
      }
      const std::string to = exchange->tag;
      exchange->tag.clear();
      return refuse(to, line);
    }
    const auto is = [&](std::string_view word) { return command.rfind(word, 0) == 0; };
    if (is("CAPABILITY")) return "* CAPABILITY IMAP4rev1 " + capabilities + "\r\n" + tag + " OK done\r\n";
    if (is("LOGIN")) return refuse(tag, command);
    if (is("AUTHENTICATE")) {
      std::istringstream words(command);
      std::string verb, mechanism, initial;
      words >> verb >> mechanism >> initial;
      if (mechanism == "LOGIN") {
        exchange->tag = tag;
        exchange->asks_password = initial.empty();
        return std::string(initial.empty() ? "+ VXNlcm5hbWU6\r\n" : "+ UGFzc3dvcmQ6\r\n");
      }
      if (!initial.empty()) return refuse(tag, command);
      exchange->tag = tag;
      return std::string("+ \r\n");
    }
    if (is("LOGOUT")) return "* BYE bye\r\n" + tag + " OK done\r\n";
    return tag + " BAD unknown\r\n";
  };
}

}  // namespace ispd::test
