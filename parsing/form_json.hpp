#pragma once
// The inverse of to_json(Form): a Form from the JSON object of form-schema.md,
// as the store keeps it. Strict, so that what is read back is what was written:
// every value must have the schema's type and keys; a missing member reads as
// null or []; an unknown member is an error.

#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "parsing/form.hpp"
#include "util/result.hpp"

namespace ispd {

// The error names the member: `provider.affected: "partly" is not one of whole_organisation, setting_only`.
Result<Form> form_from_json(const nlohmann::json& json);
Result<Form> form_from_json_text(std::string_view json_text);

}  // namespace ispd
