#pragma once
// Every mail ispd sends, rendered from the data the intake queues with it
// (daemon/protocol/intake.cpp's plan_form_mails and plan_mail_mails) as plain
// text and HTML. Templates know only the data handed to them.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/result.hpp"

namespace ispd::templates {

struct RenderedMail {
  std::string text;
  std::string html;
};

// `kind` is the outbox kind's name: acknowledgement, returned, circulation,
// attention, log, chaser, digest, spreadsheet or alert. Any field of `data`
// may be null or missing ("not given"). An Error for a kind with no template
// or a template that fails to render.
Result<RenderedMail> render(std::string_view kind, const nlohmann::json& data);

}  // namespace ispd::templates
