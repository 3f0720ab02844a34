#pragma once
// The parts the mails' data share: who a notification is about and who sent it, a list
// choice, a setting, a file that could not be read, a rescind and a failed delivery.
// Each mail's data (mails.hpp) is built from them; json.hpp writes and reads them.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ispd::mail_data {

// A value the form or the store may not give: "not given" in a mail. Stored as null.
using Text = std::optional<std::string>;
// A count the data may lack (an old mail, or one that has none to give). Stored as null.
using Count = std::optional<std::size_t>;

// A provider or officer named only, where a mail shows no more of them.
struct Named {
  Text name{};
  bool operator==(const Named&) const = default;
};

struct Provider {
  Text name{};
  Text company_number{};
  Text ofsted_urn{};
  bool operator==(const Provider&) const = default;
};

// The issuing agency's officer.
struct Officer {
  Text name{};
  Text email{};
  Text phone{};
  bool operator==(const Officer&) const = default;
};

// A list the form chose that was narrowed, dropped or left to NWADCS, and why.
struct Choice {
  Text audience{};
  Text scope{};
  Text reason{};
  bool operator==(const Choice&) const = default;
};

struct Setting {
  Text name{};
  Text ofsted_urn{};
  Text cqc_urn{};
  bool operator==(const Setting&) const = default;
};

// An attachment that looked like the form but could not be read.
struct UnreadableFile {
  Text name{};
  Text problem{};
  Text sentence{};
  bool operator==(const UnreadableFile&) const = default;
};

// What a form's rescind says, without its free text.
struct Rescind {
  Text date{};  // ISO 8601
  Text officer_name{};
  Text officer_email{};
  std::vector<std::string> outcomes{};
  std::vector<std::string> contractual_outcomes{};
  std::vector<std::string> placement_outcomes{};
  bool operator==(const Rescind&) const = default;
};

// A mail ispd sent that did not reach someone.
struct Failure {
  Text kind{};       // rejected, bounced or gave_up
  Text recipient{};  // when only one did not get it
  std::vector<std::string> recipients{};
  Text subject{};
  Text reference{};
  Text message_id{};  // bare
  Text reply{};
  bool operator==(const Failure&) const = default;
};

}  // namespace ispd::mail_data
