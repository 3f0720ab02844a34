#pragma once
// ispd's configuration: one struct with its defaults in one place, read from
// TOML with every key checked. Secrets are never in it: only where to read
// them (a file or an environment variable).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "daemon/protocol/policy.hpp"
#include "parsing/form.hpp"

namespace ispd::config {

struct Mailbox {
  std::string url;  // imaps://host/INBOX; imap:// only on loopback
  std::string user;
  std::string password_file;
  std::string password_env;
  std::string auth = "password";  // password | xoauth2
  std::string processed_folder = "ISP/Processed";
  std::string attention_folder = "ISP/Needs attention";
  int poll_seconds = 60;
  int timeout_seconds = 60;
  std::string ca_file;  // empty: the system's CA bundle
  long long max_message_bytes = 40LL << 20;
  // Mails decided before one sync and one move (daemon/poll.hpp).
  int batch_size = 50;
};

struct Smtp {
  std::string url;  // smtps://host or smtp://host:587 (STARTTLS required unless loopback)
  std::string user;
  std::string password_file;
  std::string password_env;
  std::string auth = "password";
  std::string from;
  int timeout_seconds = 60;
  std::string ca_file;
};

// The app-only OAuth2 client (Microsoft 365) that [mailbox] and [smtp] sign in with when their auth is "xoauth2".
struct OAuth2 {
  // Where tokens come from: token_url as given, or Microsoft's for the tenant (a directory ID or domain).
  std::string token_url;
  std::string tenant;
  std::string client_id;
  std::string client_secret_file;
  std::string client_secret_env;
  std::string scope = "https://outlook.office365.com/.default";
  std::string ca_file;  // empty: the system's CA bundle
  int timeout_seconds = 30;
  bool operator==(const OAuth2&) const = default;
};

// https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token
std::string microsoft_token_url(std::string_view tenant);

struct Store {
  std::string database = "/var/lib/ispd/ispd.sqlite";
  std::string archive_dir = "/var/lib/ispd/archive";
};

struct Nwadcs {
  std::string address;
};

struct Protocol {
  int max_review_months = 3;
  // How long a rescinded or closed notification's forms and free text are
  // kept, counted from the rescind or closure: six years.
  int retention_months = 72;
};

// When NWADCS's scheduled mails go, in UK time.
struct Schedule {
  // The daily digest, from this hour, about the days since the last one.
  int digest_hour = 7;
  // The monthly spreadsheet, on the first working day of the month, from this hour.
  int spreadsheet_hour = 7;
  // One-off bank holidays (a coronation, a jubilee) beside the usual ones of England and Wales.
  std::vector<Date> extra_holidays;
};

// When NWADCS is alerted to ispd's own health; 0 turns an alert off.
struct Health {
  // The mailbox has not been usable (signing in, most often) for this long.
  int mailbox_failing_minutes = 30;
  // No mail at all has come for this many working days.
  int quiet_working_days = 3;
  // Mail queued this many hours ago has still not gone out, or was given up on.
  int stuck_hours = 24;
  // The store's disk has less than this part free, in percent.
  int disk_free_percent = 10;
  // The same alert goes at most once in this many hours.
  int alert_every_hours = 24;
};

// Who may issue (an [[authority]]) and who receives (a [[list]]): the protocol's own types.
using protocol::Authority;
using protocol::CirculationList;

struct Config {
  Mailbox mailbox;
  Smtp smtp;
  std::optional<OAuth2> oauth2;  // when the config has an [oauth2] section
  Store store;
  Nwadcs nwadcs;
  Protocol protocol;
  Schedule schedule;
  Health health;
  std::vector<Authority> authorities;
  std::vector<CirculationList> lists;
};

struct Loaded {
  Config config;
  std::vector<std::string> errors;    // "ispd.toml:12: unknown key \"pol_seconds\" in [mailbox]"
  std::vector<std::string> warnings;  // valid, but probably not what NWADCS meant
  [[nodiscard]] bool ok() const { return errors.empty(); }
};

// Reads and checks a config file; every problem is reported, not just the first.
Loaded load(const std::filesystem::path& path);

// The same, from TOML text; `name` stands for the file in messages.
Loaded parse(std::string_view toml_text, const std::string& name);

// The host of a URL such as imaps://outlook.office365.com:993/INBOX.
std::string url_host(std::string_view url);

}  // namespace ispd::config
