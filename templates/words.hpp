#pragma once
// The form's own words for the keys of form-schema.md, so a mail says
// "Actively reviewing placement(s)" where the data says reviewing_placements.

#include <optional>
#include <string_view>

namespace ispd::templates {

// `field` names the tick list as form-schema.md's table does: confidentiality,
// audience, scope, affected, service_type, contract, concern, action,
// contractual_action, outcome, contractual_outcome, placement_outcome, and
// stage. nullopt for a key the form does not have.
std::optional<std::string_view> form_words(std::string_view field, std::string_view key);

}  // namespace ispd::templates
