#pragma once
// The form's tick lists (sections 6, 7, 8, 10, 11, 17, 18, 19), as data: each
// box's key in the schema with the labels it goes by on each version of the
// form, and the schema's order of the keys. Internal to the form reader.

#include <span>
#include <string_view>
#include <vector>

#include "parsing/form_values.hpp"

namespace ispd::form_reading {

struct ListSpec {
  ListSpec(std::vector<FieldSpec> f, std::span<const std::string_view> o);
  ListSpec(const ListSpec&) = delete;
  ListSpec& operator=(const ListSpec&) = delete;
  std::vector<FieldSpec> fields;  // ids are the schema keys
  std::span<const std::string_view> order;
  Matcher matcher;
};

const ListSpec& service_type_specs();
const ListSpec& contract_specs();
const ListSpec& concern_specs();
const ListSpec& action_specs();
const ListSpec& contractual_action_specs();
const ListSpec& outcome_specs();
const ListSpec& contractual_outcome_specs();
const ListSpec& placement_outcome_specs();

}  // namespace ispd::form_reading
