#include "daemon/protocol/retention.hpp"

#include "daemon/protocol/calendar.hpp"

namespace ispd::protocol {

bool retention_ended(Date ended_on, Date today, int retention_months) {
  return std::chrono::sys_days{add_months(ended_on, retention_months)} <= std::chrono::sys_days{today};
}

Form without_free_text(const Form& form) {
  Form kept = form;
  for (Text* text : {&kept.not_shared_justification, &kept.service_type_other, &kept.contract_other,
                     &kept.concern_other, &kept.regulator_informed, &kept.other_agencies, &kept.action_other,
                     &kept.contractual_action_other, &kept.details, &kept.provider_response}) {
    text->reset();
  }
  if (kept.rescind) {
    for (Text* text : {&kept.rescind->outcome_explanation, &kept.rescind->contractual_outcome_other,
                       &kept.rescind->placement_outcome_other, &kept.rescind->additional_information}) {
      text->reset();
    }
  }
  kept.warnings.clear();
  return kept;
}

}  // namespace ispd::protocol
