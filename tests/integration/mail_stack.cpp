#include "tests/integration/mail_stack.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <new>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace ispd::test {

namespace {

std::map<std::string, std::string> read_env_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in)
    throw std::runtime_error(file.string() + " is missing: is the mail stack running (ctest fixture mail_stack)?");
  std::map<std::string, std::string> values;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return values;
}

MailStack load() {
  MailStack stack;
  stack.dir = ISPD_MAIL_STACK_DIR;
  auto env = read_env_file(stack.dir / "mail-stack.env");
  stack.imap_port = std::stoi(env.at("MAIL_STACK_IMAP_PORT"));
  stack.imaps_port = std::stoi(env.at("MAIL_STACK_IMAPS_PORT"));
  stack.smtp_port = std::stoi(env.at("MAIL_STACK_SMTP_PORT"));
  stack.submission_port = std::stoi(env.at("MAIL_STACK_SUBMISSION_PORT"));
  stack.refusing_port = std::stoi(env.at("MAIL_STACK_REFUSING_PORT"));
  stack.refusing_limit = std::stoi(env.at("MAIL_STACK_REFUSING_LIMIT"));
  const auto port = [&](const char* name) { return env.count(name) != 0 ? std::stoi(env.at(name)) : 0; };
  stack.xoauth2_imap_port = port("MAIL_STACK_XOAUTH2_IMAP_PORT");
  stack.xoauth2_submission_port = port("MAIL_STACK_XOAUTH2_SUBMISSION_PORT");
  stack.oauth2_port = port("MAIL_STACK_OAUTH2_PORT");
  stack.ca_file = env.at("MAIL_STACK_CA_FILE");
  stack.password = env.at("MAIL_STACK_PASSWORD");
  return stack;
}

// The folder as a URL path, escaped with libcurl's own escaping.
std::string url_path(const std::string& folder) {
  std::unique_ptr<char, decltype(&curl_free)> escaped(
      curl_easy_escape(nullptr, folder.data(), static_cast<int>(folder.size())), &curl_free);
  if (!escaped) throw std::bad_alloc();
  return escaped.get();
}

}  // namespace

const MailStack& MailStack::get() {
  static const MailStack stack = load();
  return stack;
}

std::string MailStack::unique_user(const std::string& stem, const std::string& domain) const {
  static std::atomic<int> serial{0};
  std::string address = stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(++serial) + "@" + domain;
  const std::string command = std::string("'") + ISPD_MAIL_STACK_SCRIPT + "' adduser '" + dir.string() + "' '" +
                              address + "' '" + password + "' >/dev/null";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("could not add mail user " + address);
  return address;
}

mail::ImapSettings MailStack::imap(const std::string& user, const std::string& folder) const {
  mail::ImapSettings s;
  s.url = "imap://127.0.0.1:" + std::to_string(imap_port) + "/" + url_path(folder);
  s.user = user;
  s.password = password;
  s.timeout = std::chrono::seconds(30);
  return s;
}

mail::ImapSettings MailStack::imaps(const std::string& user, const std::string& folder) const {
  mail::ImapSettings s = imap(user, folder);
  s.url = "imaps://127.0.0.1:" + std::to_string(imaps_port) + "/" + url_path(folder);
  s.ca_file = ca_file;
  return s;
}

mail::SmtpSettings MailStack::smtp() const {
  mail::SmtpSettings s;
  s.url = "smtp://127.0.0.1:" + std::to_string(smtp_port);
  s.timeout = std::chrono::seconds(30);
  return s;
}

mail::SmtpSettings MailStack::submission(const std::string& user) const {
  mail::SmtpSettings s = smtp();
  s.url = "smtp://127.0.0.1:" + std::to_string(submission_port);
  s.user = user;
  s.password = password;
  s.ca_file = ca_file;
  s.starttls_on_loopback = true;
  return s;
}

std::string MailStack::add_token(const std::string& user) const {
  static std::atomic<int> serial{0};
  std::random_device random;
  std::string token = "test-token." + std::to_string(::getpid()) + "." + std::to_string(++serial) + "." +
                      std::to_string(random()) + std::to_string(random());
  const std::string command = std::string("'") + ISPD_MAIL_STACK_SCRIPT + "' addtoken '" + dir.string() + "' '" + user +
                              "' '" + token + "' >/dev/null";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("could not add a token for " + user);
  return token;
}

void MailStack::add_client(const std::string& client_id, const std::string& secret, const std::string& user) const {
  const std::string command = std::string("'") + ISPD_MAIL_STACK_SCRIPT + "' addclient '" + dir.string() + "' '" +
                              client_id + "' '" + secret + "' '" + user + "' >/dev/null";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("could not add OAuth2 client " + client_id);
}

std::string MailStack::token_url() const { return "http://127.0.0.1:" + std::to_string(oauth2_port) + "/token"; }

mail::ImapSettings MailStack::imap_xoauth2(const std::string& user, const std::string& token) const {
  mail::ImapSettings s;
  s.url = "imap://127.0.0.1:" + std::to_string(xoauth2_imap_port) + "/INBOX";
  s.user = user;
  s.bearer_token = token;
  s.timeout = std::chrono::seconds(30);
  return s;
}

mail::SmtpSettings MailStack::submission_xoauth2(const std::string& user, const std::string& token) const {
  mail::SmtpSettings s = smtp();
  s.url = "smtp://127.0.0.1:" + std::to_string(xoauth2_submission_port);
  s.user = user;
  s.bearer_token = token;
  s.ca_file = ca_file;
  s.starttls_on_loopback = true;
  return s;
}

void MailStack::wait_until_delivered() const {
  // Postfix's queue is empty once every message it accepted has been handed to Dovecot.
  const std::string command = "postqueue -c '" + (dir / "postfix").string() + "' -j 2>/dev/null | grep -q .";
  for (int i = 0; i < 600; ++i) {
    if (std::system(command.c_str()) != 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("Postfix still holds mail after a minute: see " + (dir / "log" / "postfix.log").string());
}

std::vector<std::string> MailStack::inbox(const std::string& user, const std::string& folder) const {
  // ImapMailbox reads the folder its URL names as its inbox.
  auto connected = mail::ImapMailbox::connect(imap(user, folder));
  if (!connected) throw std::runtime_error("cannot open " + folder + " of " + user + ": " + connected.error().message);
  auto& mailbox = *connected.value();
  const auto listed = mailbox.list_inbox();
  if (!listed) throw std::runtime_error("cannot list " + folder + " of " + user + ": " + listed.error().message);
  std::vector<std::string> out;
  for (const auto& message : *listed) {
    auto raw = mailbox.fetch(message.uid, 64 << 20);
    if (!raw) throw std::runtime_error("cannot fetch from " + user + ": " + raw.error().message);
    out.push_back(std::move(raw).value());
  }
  return out;
}

std::optional<std::string> non_loopback_address() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return std::nullopt;
  std::optional<std::string> found;
  for (ifaddrs* i = list; i != nullptr && !found; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET) continue;
    const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
    if ((ntohl(in->sin_addr.s_addr) >> 24) == 127) continue;
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    found = text;
  }
  ::freeifaddrs(list);
  return found;
}

}  // namespace ispd::test
