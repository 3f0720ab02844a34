#pragma once
// The JSON the outbox stores for each mail's data (mails.hpp), written and read in this one
// place. Writing gives every field its key, null for a value not given. Reading takes any
// JSON and never throws: a missing key, a null or a value of the wrong type is "not given",
// so a mail queued by an older ispd still renders.

#include <string_view>

#include <nlohmann/json.hpp>

#include "mail_data/mails.hpp"

namespace ispd::mail_data {

// "before", "on", "overdue", "close_request": the key of a chaser's step in its data.
std::string_view to_string(ChaserStep step);

// A mail's data as its kind's struct, whatever `data` holds.
template <typename Mail>
Mail read(const nlohmann::json& data) {
  Mail mail;
  from_json(data, mail);
  return mail;
}

void to_json(nlohmann::json& out, const Named& value);
void from_json(const nlohmann::json& in, Named& value);
void to_json(nlohmann::json& out, const Provider& value);
void from_json(const nlohmann::json& in, Provider& value);
void to_json(nlohmann::json& out, const Officer& value);
void from_json(const nlohmann::json& in, Officer& value);
void to_json(nlohmann::json& out, const Choice& value);
void from_json(const nlohmann::json& in, Choice& value);
void to_json(nlohmann::json& out, const Setting& value);
void from_json(const nlohmann::json& in, Setting& value);
void to_json(nlohmann::json& out, const UnreadableFile& value);
void from_json(const nlohmann::json& in, UnreadableFile& value);
void to_json(nlohmann::json& out, const Rescind& value);
void from_json(const nlohmann::json& in, Rescind& value);
void to_json(nlohmann::json& out, const Failure& value);
void from_json(const nlohmann::json& in, Failure& value);
void to_json(nlohmann::json& out, const Acknowledgement& value);
void from_json(const nlohmann::json& in, Acknowledgement& value);
void to_json(nlohmann::json& out, const Returned& value);
void from_json(const nlohmann::json& in, Returned& value);
void to_json(nlohmann::json& out, const Circulation& value);
void from_json(const nlohmann::json& in, Circulation& value);
void to_json(nlohmann::json& out, const Attention& value);
void from_json(const nlohmann::json& in, Attention& value);
void to_json(nlohmann::json& out, const Log& value);
void from_json(const nlohmann::json& in, Log& value);
void to_json(nlohmann::json& out, const Chaser& value);
void from_json(const nlohmann::json& in, Chaser& value);
void to_json(nlohmann::json& out, const DigestPeriod& value);
void from_json(const nlohmann::json& in, DigestPeriod& value);
void to_json(nlohmann::json& out, const DigestCounts& value);
void from_json(const nlohmann::json& in, DigestCounts& value);
void to_json(nlohmann::json& out, const OverdueItem& value);
void from_json(const nlohmann::json& in, OverdueItem& value);
void to_json(nlohmann::json& out, const WaitingItem& value);
void from_json(const nlohmann::json& in, WaitingItem& value);
void to_json(nlohmann::json& out, const FailedMail& value);
void from_json(const nlohmann::json& in, FailedMail& value);
void to_json(nlohmann::json& out, const Digest& value);
void from_json(const nlohmann::json& in, Digest& value);
void to_json(nlohmann::json& out, const Spreadsheet& value);
void from_json(const nlohmann::json& in, Spreadsheet& value);
void to_json(nlohmann::json& out, const Alert& value);
void from_json(const nlohmann::json& in, Alert& value);

}  // namespace ispd::mail_data
