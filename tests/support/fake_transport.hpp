#pragma once
// An SMTP server in memory, with the answers a real one gives: for the
// outbox sender's tests, as the real transport (mail/smtp.hpp) is tested
// against Postfix.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/jobs/send.hpp"

namespace ispd::test {

class FakeSmtp {
 public:
  struct Sent {
    std::string from;
    std::string recipient;
    std::string raw;
  };

  // What the server says to a recipient, until changed; every other recipient is accepted.
  std::map<std::string, mail::DeliveryResult> answers;
  // The session fails (connection lost) at this send, counting from 0 over the fake's life.
  std::optional<int> fail_at_send;
  // connect() fails while set.
  bool unreachable = false;
  int connects = 0;
  int sends = 0;
  std::vector<Sent> accepted;

  outbox::Connect connector() {
    return [this]() -> Result<std::unique_ptr<outbox::Transport>> {
      ++connects;
      if (unreachable) return Error{"could not reach smtp://127.0.0.1:1 (connection refused)"};
      return std::unique_ptr<outbox::Transport>(std::make_unique<Session>(*this));
    };
  }

  // The copies accepted for one recipient.
  [[nodiscard]] std::vector<Sent> to(std::string_view recipient) const {
    std::vector<Sent> out;
    for (const auto& s : accepted) {
      if (s.recipient == recipient) out.push_back(s);
    }
    return out;
  }

 private:
  class Session final : public outbox::Transport {
   public:
    explicit Session(FakeSmtp& server) : server_(server) {}
    Result<mail::DeliveryResult> send(std::string_view from, std::string_view recipient,
                                      std::string_view raw) override {
      const int n = server_.sends++;
      if (server_.fail_at_send && *server_.fail_at_send == n) return Error{"the connection was lost"};
      const auto answer = server_.answers.find(std::string(recipient));
      if (answer != server_.answers.end()) {
        if (answer->second.outcome == mail::Delivery::accepted) {
          server_.accepted.push_back({std::string(from), std::string(recipient), std::string(raw)});
        }
        return answer->second;
      }
      server_.accepted.push_back({std::string(from), std::string(recipient), std::string(raw)});
      return mail::DeliveryResult{mail::Delivery::accepted, 250, "2.0.0 Ok: queued"};
    }

   private:
    FakeSmtp& server_;
  };
};

}  // namespace ispd::test
