#include "daemon/config/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "parsing/form.hpp"

#include "store/timestamps.hpp"
#include "util/host.hpp"

namespace ispd::config {

namespace {

bool is_address(std::string_view s) {
  const auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size() || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const auto domain = s.substr(at + 1);
  return domain.find('.') != std::string_view::npos && domain.front() != '.' && domain.back() != '.' &&
         std::none_of(s.begin(), s.end(),
                      [](char c) { return c == ' ' || c == '<' || c == '>' || c == ',' || c < 0x21; });
}

bool is_domain(std::string_view s) {
  if (s.empty() || s.size() > 253 || s.front() == '.' || s.back() == '.' || s.find('.') == std::string_view::npos)
    return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'; });
}

// The address in "Placements North West <placementsnorthwest@stockport.gov.uk>".
std::string address_in(std::string_view from) {
  const auto open = from.rfind('<');
  const auto close = from.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    return std::string(from.substr(open + 1, close - open - 1));
  }
  return std::string(from);
}

class Checker {
 public:
  Checker(std::string name, Loaded& out) : name_(std::move(name)), out_(out) {}

  void error(const toml::source_region& where, const std::string& message) {
    out_.errors.push_back(at(where) + message);
  }
  void error(const std::string& message) { out_.errors.push_back(name_ + ": " + message); }
  void warning(const std::string& message) { out_.warnings.push_back(name_ + ": " + message); }

  std::string at(const toml::source_region& where) const {
    return where.begin.line > 0 ? name_ + ":" + std::to_string(where.begin.line) + ": " : name_ + ": ";
  }

  // Unknown keys are errors: a misspelt key would otherwise silently keep its default.
  void only(const toml::table& table, std::string_view section, std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, node] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
        error(key.source(), "unknown key \"" + std::string(key.str()) + "\" in " + std::string(section));
      }
    }
  }

  void string(const toml::table& table, std::string_view section, std::string_view key, std::string& out,
              bool required) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) error(table.source(), std::string(section) + " needs \"" + std::string(key) + "\"");
      return;
    }
    if (const auto value = node->value<std::string>()) {
      out = *value;
      if (required && out.empty())
        error(node->source(), "\"" + std::string(key) + "\" in " + std::string(section) + " is empty");
    } else {
      error(node->source(), "\"" + std::string(key) + "\" in " + std::string(section) + " must be a string");
    }
  }

  template <class Int>
  void integer(const toml::table& table, std::string_view section, std::string_view key, Int& out, long long low,
               long long high) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return;
    const auto value = node->value_exact<int64_t>();
    if (!value || *value < low || *value > high) {
      error(node->source(), "\"" + std::string(key) + "\" in " + std::string(section) +
                                " must be a whole number from " + std::to_string(low) + " to " + std::to_string(high));
      return;
    }
    out = static_cast<Int>(*value);
  }

  void strings(const toml::table& table, std::string_view section, std::string_view key,
               std::vector<std::string>& out) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      error(table.source(), std::string(section) + " needs \"" + std::string(key) + "\"");
      return;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      error(node->source(), "\"" + std::string(key) + "\" in " + std::string(section) + " must be a list of strings");
      return;
    }
    for (const auto& item : *array) {
      if (const auto value = item.value<std::string>()) {
        out.push_back(*value);
      } else {
        error(item.source(), "\"" + std::string(key) + "\" in " + std::string(section) + " must hold only strings");
      }
    }
  }

  const toml::table* table(const toml::table& root, std::string_view key, bool required) {
    const toml::node* node = root.get(key);
    if (node == nullptr) {
      if (required) error("the [" + std::string(key) + "] section is missing");
      return nullptr;
    }
    if (const toml::table* t = node->as_table()) return t;
    error(node->source(), "\"" + std::string(key) + "\" must be a [" + std::string(key) + "] section");
    return nullptr;
  }

 private:
  std::string name_;
  Loaded& out_;
};

void check_secret_source(Checker& c, const toml::table& t, std::string_view section, const std::string& file,
                         const std::string& env, const std::string& auth) {
  if (auth != "password" && auth != "xoauth2") {
    c.error(t.get("auth")->source(), "\"auth\" in " + std::string(section) + " must be \"password\" or \"xoauth2\"");
  }
  if (auth == "password" && file.empty() && env.empty()) {
    c.error(t.source(), std::string(section) +
                            " needs \"password_file\" or \"password_env\" (passwords are never written in the config)");
  }
  if (!file.empty() && !env.empty()) {
    c.error(t.get("password_env")->source(),
            std::string(section) + " has both \"password_file\" and \"password_env\"; keep one");
  }
  if (auth == "xoauth2" && (!file.empty() || !env.empty())) {
    c.error(t.get(file.empty() ? "password_env" : "password_file")->source(),
            std::string(section) +
                " signs in with an OAuth2 token (auth = \"xoauth2\"), so it has no password; remove \"" +
                (file.empty() ? "password_env" : "password_file") + "\"");
  }
}

bool is_tenant(std::string_view s) {
  return !s.empty() && s.size() <= 253 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
  });
}

void read_oauth2(Checker& c, const toml::table& t, OAuth2& o) {
  const std::string_view s = "[oauth2]";
  c.only(t, s,
         {"token_url", "tenant", "client_id", "client_secret_file", "client_secret_env", "scope", "ca_file",
          "timeout_seconds"});
  c.string(t, s, "token_url", o.token_url, false);
  c.string(t, s, "tenant", o.tenant, false);
  c.string(t, s, "client_id", o.client_id, true);
  c.string(t, s, "client_secret_file", o.client_secret_file, false);
  c.string(t, s, "client_secret_env", o.client_secret_env, false);
  c.string(t, s, "scope", o.scope, false);
  c.string(t, s, "ca_file", o.ca_file, false);
  c.integer(t, s, "timeout_seconds", o.timeout_seconds, 5, 600);
  if (o.token_url.empty() == o.tenant.empty()) {
    c.error(t.source(),
            "[oauth2] needs \"tenant\" (Microsoft 365's directory ID or domain) or \"token_url\"; give one");
  } else if (!o.tenant.empty()) {
    if (is_tenant(o.tenant)) {
      o.token_url = microsoft_token_url(o.tenant);
    } else {
      c.error(t.get("tenant")->source(),
              "\"tenant\" in [oauth2] must be a directory ID or a domain, e.g. \"stockport.gov.uk\"");
    }
  } else {
    const bool tls = o.token_url.rfind("https://", 0) == 0;
    const bool plain = o.token_url.rfind("http://", 0) == 0;
    if (!tls && !plain) {
      c.error(t.get("token_url")->source(), "\"token_url\" in [oauth2] must start with https://");
    } else if (plain && !is_loopback_host(url_host(o.token_url))) {
      c.error(t.get("token_url")->source(),
              "\"token_url\" in [oauth2] must use https:// for a server that is not on this machine");
    }
  }
  if (o.client_secret_file.empty() && o.client_secret_env.empty()) {
    c.error(t.source(),
            "[oauth2] needs \"client_secret_file\" or \"client_secret_env\" (secrets are never written in the config)");
  }
  if (!o.client_secret_file.empty() && !o.client_secret_env.empty()) {
    c.error(t.get("client_secret_env")->source(),
            "[oauth2] has both \"client_secret_file\" and \"client_secret_env\"; keep one");
  }
  if (const toml::node* scope = t.get("scope"); scope != nullptr && o.scope.empty()) {
    c.error(scope->source(),
            "\"scope\" in [oauth2] is empty; Microsoft 365's is \"https://outlook.office365.com/.default\"");
  }
}

void read_mailbox(Checker& c, const toml::table& t, Mailbox& m) {
  const std::string_view s = "[mailbox]";
  c.only(t, s,
         {"url", "user", "password_file", "password_env", "auth", "processed_folder", "attention_folder",
          "poll_seconds", "timeout_seconds", "ca_file", "max_message_bytes", "batch_size"});
  c.string(t, s, "url", m.url, true);
  c.string(t, s, "user", m.user, true);
  c.string(t, s, "password_file", m.password_file, false);
  c.string(t, s, "password_env", m.password_env, false);
  c.string(t, s, "auth", m.auth, false);
  c.string(t, s, "processed_folder", m.processed_folder, false);
  c.string(t, s, "attention_folder", m.attention_folder, false);
  c.string(t, s, "ca_file", m.ca_file, false);
  c.integer(t, s, "poll_seconds", m.poll_seconds, 5, 86400);
  c.integer(t, s, "timeout_seconds", m.timeout_seconds, 5, 3600);
  c.integer(t, s, "max_message_bytes", m.max_message_bytes, 1 << 16, 200LL << 20);
  c.integer(t, s, "batch_size", m.batch_size, 1, 1000);
  check_secret_source(c, t, s, m.password_file, m.password_env, m.auth);
  if (!m.url.empty()) {
    const bool tls = m.url.rfind("imaps://", 0) == 0;
    const bool plain = m.url.rfind("imap://", 0) == 0;
    if (!tls && !plain) {
      c.error(t.get("url")->source(), "\"url\" in [mailbox] must start with imaps:// (or imap:// on this machine)");
    } else if (plain && !is_loopback_host(url_host(m.url))) {
      c.error(t.get("url")->source(),
              "\"url\" in [mailbox] must use imaps:// for a server that is not on this machine");
    }
  }
  if (!m.processed_folder.empty() && m.processed_folder == m.attention_folder) {
    c.error(t.source(), "[mailbox] needs different processed_folder and attention_folder");
  }
}

void read_smtp(Checker& c, const toml::table& t, Smtp& m) {
  const std::string_view s = "[smtp]";
  c.only(t, s, {"url", "user", "password_file", "password_env", "auth", "from", "timeout_seconds", "ca_file"});
  c.string(t, s, "url", m.url, true);
  c.string(t, s, "user", m.user, false);
  c.string(t, s, "password_file", m.password_file, false);
  c.string(t, s, "password_env", m.password_env, false);
  c.string(t, s, "auth", m.auth, false);
  c.string(t, s, "from", m.from, true);
  c.string(t, s, "ca_file", m.ca_file, false);
  c.integer(t, s, "timeout_seconds", m.timeout_seconds, 5, 3600);
  if (!m.user.empty()) check_secret_source(c, t, s, m.password_file, m.password_env, m.auth);
  if (m.user.empty() && m.auth == "xoauth2") {
    c.error(t.get("auth")->source(),
            "[smtp] signs in with an OAuth2 token (auth = \"xoauth2\"), so it needs \"user\", the mailbox that sends");
  }
  if (!m.url.empty() && m.url.rfind("smtps://", 0) != 0 && m.url.rfind("smtp://", 0) != 0) {
    c.error(t.get("url")->source(),
            "\"url\" in [smtp] must start with smtps:// or smtp:// (STARTTLS is then required)");
  }
  if (!m.from.empty() && !is_address(address_in(m.from))) {
    c.error(t.get("from")->source(),
            "\"from\" in [smtp] must be an address, e.g. \"Placements North West <isp@council.gov.uk>\"");
  }
}

void read_lists(Checker& c, const toml::node& node, std::vector<CirculationList>& lists) {
  const toml::array* array = node.as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    c.error(node.source(), "\"list\" must be [[list]] sections");
    return;
  }
  for (const auto& item : *array) {
    const toml::table& t = *item.as_table();
    const std::string_view s = "[[list]]";
    c.only(t, s, {"audience", "scope", "members"});
    CirculationList list;
    c.string(t, s, "audience", list.audience, true);
    c.string(t, s, "scope", list.scope, true);
    c.strings(t, s, "members", list.members);
    const bool known = list.audience == "partners" ||
                       std::find(kAudiences.begin(), kAudiences.end(), list.audience) != kAudiences.end();
    if (!list.audience.empty() && !known) {
      c.error(t.get("audience")->source(), "unknown audience \"" + list.audience + "\" in [[list]]; use one of " +
                                               "childrens_services, lado, safeguarding_unit, health, adult_services, "
                                               "police, schools, partners");
    }
    const bool area = list.scope.rfind("area:", 0) == 0 && list.scope.size() > 5;
    if (!list.scope.empty() && list.scope != "north_west" && list.scope != "national" && !area) {
      c.error(t.get("scope")->source(),
              "unknown scope \"" + list.scope + "\" in [[list]]; use north_west, national or area:<name>");
    }
    for (const auto& m : list.members) {
      if (!is_address(m))
        c.error(t.get("members")->source(), "\"" + m + "\" in [[list]] members is not an e-mail address");
    }
    lists.push_back(std::move(list));
  }
}

void read_authorities(Checker& c, const toml::node& node, std::vector<Authority>& authorities) {
  const toml::array* array = node.as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    c.error(node.source(), "\"authority\" must be [[authority]] sections");
    return;
  }
  for (const auto& item : *array) {
    const toml::table& t = *item.as_table();
    const std::string_view s = "[[authority]]";
    c.only(t, s, {"name", "domains"});
    Authority a;
    c.string(t, s, "name", a.name, true);
    c.strings(t, s, "domains", a.domains);
    for (auto& d : a.domains) {
      std::transform(d.begin(), d.end(), d.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      if (!is_domain(d))
        c.error(t.get("domains")->source(), "\"" + d + "\" in [[authority]] domains is not a mail domain");
    }
    authorities.push_back(std::move(a));
  }
}

bool same_text_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

std::string microsoft_token_url(std::string_view tenant) {
  return "https://login.microsoftonline.com/" + std::string(tenant) + "/oauth2/v2.0/token";
}

std::string url_host(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find('/'));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') return std::string(rest.substr(0, rest.find(']') + 1));
  return std::string(rest.substr(0, rest.find(':')));
}

void read_schedule(Checker& c, const toml::table& t, Schedule& out) {
  const std::string_view s = "[schedule]";
  c.only(t, s, {"digest_hour", "spreadsheet_hour", "extra_holidays"});
  c.integer(t, s, "digest_hour", out.digest_hour, 0, 23);
  c.integer(t, s, "spreadsheet_hour", out.spreadsheet_hour, 0, 23);
  if (t.get("extra_holidays") == nullptr) return;
  std::vector<std::string> days;
  c.strings(t, s, "extra_holidays", days);
  for (const auto& day : days) {
    if (const auto date = store::date_from_text(day)) {
      out.extra_holidays.push_back(*date);
    } else {
      c.error(t.get("extra_holidays")->source(),
              "\"" + day + "\" in [schedule] extra_holidays is not a date such as 2027-05-03");
    }
  }
}

Loaded parse(std::string_view toml_text, const std::string& name) {
  Loaded out;
  Checker c(name, out);
  toml::table root;
  try {
    root = toml::parse(toml_text, name);
  } catch (const toml::parse_error& e) {
    c.error(e.source(), std::string(e.description()));
    return out;
  }
  c.only(root, "the config",
         {"mailbox", "smtp", "oauth2", "store", "nwadcs", "protocol", "schedule", "health", "authority", "list"});
  Config& cfg = out.config;
  if (const auto* t = c.table(root, "mailbox", true)) read_mailbox(c, *t, cfg.mailbox);
  if (const auto* t = c.table(root, "smtp", true)) read_smtp(c, *t, cfg.smtp);
  if (const auto* t = c.table(root, "oauth2", false)) read_oauth2(c, *t, cfg.oauth2.emplace());
  const bool xoauth2 = cfg.mailbox.auth == "xoauth2" || cfg.smtp.auth == "xoauth2";
  if (xoauth2 && !cfg.oauth2) {
    const bool mailbox = cfg.mailbox.auth == "xoauth2";
    c.error(root.at_path(mailbox ? "mailbox.auth" : "smtp.auth").node()->source(),
            std::string(mailbox ? "[mailbox]" : "[smtp]") +
                " signs in with an OAuth2 token (auth = \"xoauth2\"), which needs an [oauth2] section");
  }
  if (cfg.oauth2 && !xoauth2) {
    c.warning("[oauth2] is not used: neither [mailbox] nor [smtp] has auth = \"xoauth2\"");
  }
  if (const auto* t = c.table(root, "store", true)) {
    c.only(*t, "[store]", {"database", "archive_dir"});
    c.string(*t, "[store]", "database", cfg.store.database, true);
    c.string(*t, "[store]", "archive_dir", cfg.store.archive_dir, true);
  }
  if (const auto* t = c.table(root, "nwadcs", true)) {
    c.only(*t, "[nwadcs]", {"address"});
    c.string(*t, "[nwadcs]", "address", cfg.nwadcs.address, true);
    if (!cfg.nwadcs.address.empty() && !is_address(cfg.nwadcs.address)) {
      c.error(t->get("address")->source(), "\"address\" in [nwadcs] is not an e-mail address");
    }
  }
  if (const auto* t = c.table(root, "protocol", false)) {
    c.only(*t, "[protocol]", {"max_review_months", "retention_months"});
    c.integer(*t, "[protocol]", "max_review_months", cfg.protocol.max_review_months, 1, 24);
    // At least a year: a record is never erased while it could still be asked about at a review.
    c.integer(*t, "[protocol]", "retention_months", cfg.protocol.retention_months, 12, 1200);
  }
  if (const auto* t = c.table(root, "schedule", false)) read_schedule(c, *t, cfg.schedule);
  if (const auto* t = c.table(root, "health", false)) {
    const std::string_view h = "[health]";
    c.only(*t, h,
           {"mailbox_failing_minutes", "quiet_working_days", "stuck_hours", "disk_free_percent", "alert_every_hours"});
    c.integer(*t, h, "mailbox_failing_minutes", cfg.health.mailbox_failing_minutes, 0, 10080);
    c.integer(*t, h, "quiet_working_days", cfg.health.quiet_working_days, 0, 60);
    c.integer(*t, h, "stuck_hours", cfg.health.stuck_hours, 0, 720);
    c.integer(*t, h, "disk_free_percent", cfg.health.disk_free_percent, 0, 90);
    c.integer(*t, h, "alert_every_hours", cfg.health.alert_every_hours, 1, 720);
  }
  if (const toml::node* n = root.get("authority")) read_authorities(c, *n, cfg.authorities);
  if (const toml::node* n = root.get("list")) read_lists(c, *n, cfg.lists);
  if (cfg.authorities.empty()) c.error("no [[authority]] is configured, so no form would ever be accepted");

  // ispd reads the ISP mailbox and files whatever arrives there, its own mail included.
  if (!cfg.nwadcs.address.empty() && same_text_ignoring_case(cfg.nwadcs.address, cfg.mailbox.user)) {
    c.warning("[nwadcs] address is the ISP mailbox itself, so the logs and notices ispd sends NWADCS are filed in " +
              cfg.mailbox.processed_folder +
              " as automatic mail as soon as they arrive; give NWADCS a mailbox people read");
  }
  // The protocol asks for at least one contact per authority on the lists.
  for (const auto& a : cfg.authorities) {
    const bool listed = std::any_of(cfg.lists.begin(), cfg.lists.end(), [&](const CirculationList& l) {
      return std::any_of(l.members.begin(), l.members.end(), [&](const std::string& m) {
        std::string domain = m.substr(m.find('@') + 1);
        std::transform(domain.begin(), domain.end(), domain.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        return std::find(a.domains.begin(), a.domains.end(), domain) != a.domains.end();
      });
    });
    if (!listed)
      c.warning(a.name + " has no contact on any [[list]]; the protocol asks for at least one contact per authority");
  }
  return out;
}

Loaded load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Loaded out;
    out.errors.push_back(path.string() + ": cannot be read");
    return out;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string());
}

}  // namespace ispd::config
