#pragma once
// The data of each mail ispd sends, one struct per outbox kind: the rules and jobs fill
// them, the outbox stores them as JSON (json.hpp), and templates/ renders them. A field
// renamed here is renamed for both sides, or neither compiles.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mail_data/parts.hpp"

namespace ispd::mail_data {

// The sender told what was done with their form.
struct Acknowledgement {
  Text reference{};
  Text action{};  // to_string(FormAction)
  Text agency{};
  Named provider{};
  Named officer{};
  Text review_date{};  // ISO 8601
  Text classification{};
  bool circulated = false;
  std::vector<std::string> lists{};  // "police/north_west"
  std::vector<Choice> dropped{};
  std::vector<Choice> by_hand{};
  bool not_in_log = false;
  bool operator==(const Acknowledgement&) const = default;
};

// A form sent back to be corrected (`problems`), or, for a mail whose forms could not
// be read at all, each file and what to send instead (`files`, `subject`, `advice`).
struct Returned {
  Text reference{};
  Text action{};
  Text agency{};
  std::optional<Named> provider{};      // only for a form
  std::optional<Named> officer{};       // only for a form
  std::vector<std::string> problems{};  // sentences
  Text subject{};
  std::optional<std::vector<UnreadableFile>> files{};  // only for unreadable files
  Text advice{};
  bool operator==(const Returned&) const = default;
};

// The notification as partners receive it.
struct Circulation {
  Text reference{};
  Text action{};
  Text agency{};
  Provider provider{};
  std::vector<Setting> settings{};
  std::vector<std::string> service_types{};
  std::vector<std::string> concerns{};
  std::vector<std::string> actions{};
  Text review_date{};
  Officer officer{};
  Text confidentiality{};
  Text classification{};
  Text details{};
  // Only a provider's response carries one; its text may still be missing.
  std::optional<Text> provider_response{};
  std::optional<Rescind> rescind{};  // only a rescind
  bool operator==(const Circulation&) const = default;
};

// Something NWADCS must look at: a form (`provider`, `stage`), a mail (`subject`,
// `unreadable`) or a mail that was not delivered (`failure`).
struct Attention {
  Text reference{};
  Text action{};
  Text agency{};
  Text sender{};
  std::optional<Provider> provider{};  // only about a form
  Text stage{};
  Text reason{};
  Text subject{};
  std::vector<std::string> unreadable{};
  bool sender_told = false;
  bool not_stored = false;           // a mail too large to read: nothing of it kept, so nothing to reprocess
  std::optional<Failure> failure{};  // only about a delivery
  bool operator==(const Attention&) const = default;
};

// NWADCS told of a form handled, or of a notification closed.
struct Log {
  Text reference{};
  Text action{};
  Text agency{};
  Text sender{};
  bool sender_told = false;
  Provider provider{};
  std::vector<std::string> service_types{};
  std::vector<std::string> concerns{};
  Text review_date{};
  Officer officer{};
  Text confidentiality{};
  Text classification{};
  bool circulated = false;
  std::vector<std::string> lists{};
  Count recipient_count{};
  bool nobody_on_lists = false;
  std::vector<Choice> dropped{};
  std::vector<Choice> by_hand{};
  std::vector<std::string> problems{};
  std::vector<std::string> possible_duplicates{};
  bool not_in_log = false;
  std::vector<std::string> other_files_not_read{};
  bool action_needed = false;
  Text reason{};
  bool operator==(const Log&) const = default;
};

// A chaser's place in the schedule (daemon/protocol/chasers.hpp).
enum class ChaserStep { before, on, overdue, close_request };

// A chaser to the officer, or the close request to NWADCS.
struct Chaser {
  Text reference{};
  std::optional<ChaserStep> which{};
  Text chaser{};  // the store's name for it: "overdue-3", "close-request"
  std::int64_t weeks_overdue = 0;
  Text review_date{};
  Text due{};
  Text last_word{};
  Text agency{};
  Named provider{};
  Officer officer{};
  Text confidentiality{};
  Text classification{};
  bool copied_nwadcs = false;
  bool no_officer_email = false;
  bool remind_provider = false;
  bool caught_up = false;
  bool operator==(const Chaser&) const = default;
};

struct DigestPeriod {
  Text from{};  // ISO 8601, the first day
  Text last{};  // ISO 8601, the last day
  bool operator==(const DigestPeriod&) const = default;
};

struct DigestCounts {
  Count received{}, logged{}, updated{}, rescinded{}, closed{}, circulated{}, returned{}, attention{}, ignored{},
      failures{}, open{}, overdue{}, waiting{};
  bool operator==(const DigestCounts&) const = default;
};

struct OverdueItem {
  Text reference{};
  Text agency{};
  Text provider{};
  Text review_date{};
  bool operator==(const OverdueItem&) const = default;
};

struct WaitingItem {
  Text received{};  // in words
  Text message_id{};
  Text reason{};
  bool operator==(const WaitingItem&) const = default;
};

struct FailedMail {
  Text reference{};
  Text subject{};
  Text recipients{};  // joined
  Text reply{};
  bool operator==(const FailedMail&) const = default;
};

// NWADCS's daily digest.
struct Digest {
  DigestPeriod period{};
  bool one_day = false;
  DigestCounts counts{};
  std::vector<OverdueItem> overdue{};
  Count more_overdue{};
  std::vector<WaitingItem> waiting{};
  Count more_waiting{};
  std::vector<FailedMail> failed_mails{};
  Count more_failed{};
  Text attention_folder{};
  Text classification{};
  bool operator==(const Digest&) const = default;
};

// The monthly spreadsheet's covering mail.
struct Spreadsheet {
  Text month{};  // "2026-11"
  Text month_name{};
  Count rows{};
  Count restricted_rows{};
  Text file_name{};
  Text classification{};
  bool operator==(const Spreadsheet&) const = default;
};

// A health alert.
struct Alert {
  Text alert{};  // mailbox, quiet, outbox, disk
  Text reason{};
  std::vector<std::string> alert_lines{};
  Text advice{};
  Text alert_every{};
  bool operator==(const Alert&) const = default;
};

}  // namespace ispd::mail_data
