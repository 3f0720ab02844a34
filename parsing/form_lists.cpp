#include "parsing/form_lists.hpp"

#include <initializer_list>
#include <utility>

#include "parsing/form.hpp"

namespace ispd::form_reading {

namespace {

std::vector<FieldSpec> ticks(std::initializer_list<std::pair<std::string_view, std::vector<std::string_view>>> items) {
  std::vector<FieldSpec> specs;
  for (const auto& [id, labels] : items) specs.push_back(FieldSpec{id, Kind::tick, labels});
  return specs;
}

}  // namespace

ListSpec::ListSpec(std::vector<FieldSpec> f, std::span<const std::string_view> o)
    : fields(std::move(f)), order(o), matcher(fields) {}

const ListSpec& service_type_specs() {
  static const ListSpec spec{
      ticks({{"residential", {"residential"}},
             {"supported_accommodation", {"supported accommodation"}},
             {"fostering", {"fostering"}},
             {"send_school_or_college", {"send school or college", "send school"}},
             {"alternative_provision", {"alternative provision"}},
             {"unregistered_social_care", {"unregistered social care"}},
             {"unregistered_school", {"unregistered school"}},
             {"other", {"other", "other please include additional services that may have been commissioned"}}}),
      kServiceTypes};
  return spec;
}

const ListSpec& contract_specs() {
  static const ListSpec spec{
      ticks({{"residential_fps", {"residential fps"}},
             {"supported_accommodation_fps", {"supported accommodation fps", "sails dps", "sails"}},
             {"send_fps", {"send fps including alternative provision", "send fps"}},
             {"fostering_fps", {"fostering fps"}},
             {"off_contract", {"off contract"}},
             {"local_contract", {"local contract"}},
             {"other", {"other"}}}),
      kContracts};
  return spec;
}

const ListSpec& concern_specs() {
  static const ListSpec spec{
      ticks({{"safeguarding", {"safeguarding", "safeguarding concern"}},
             {"quality", {"quality", "quality concern"}},
             {"criminality", {"criminality", "current criminal investigation", "criminal concern"}},
             {"financial", {"financial", "financial concern"}},
             {"inspection_outcome",
              {"inspection outcome", "inadequate inspection", "inadequate key inspection judgement received",
               "interim inspection judgement received", "ofsted registration withdrawn"}},
             {"business_continuity", {"business continuity"}},
             {"no_evidence_of_insurance", {"no evidence of insurance provided", "no evidence of insurance"}},
             {"other", {"other", "other providing clarity on allegations vs proven facts"}}}),
      kConcerns};
  return spec;
}

const ListSpec& action_specs() {
  static const ListSpec spec{
      ticks({{"police_investigation", {"police investigation initiated", "police investigation"}},
             {"lado_or_pipot_referral", {"lado or pipot referral made", "lado pipot referral"}},
             {"ending_placements", {"ending placements"}},
             {"reviewing_placements", {"actively reviewing placements", "reviewing placements"}},
             {"suspending_referrals", {"suspending new referrals"}},
             {"action_plan", {"action or improvement plan", "action improvement plan"}},
             {"no_local_action", {"no local action", "no local action referral to pnw"}},
             {"other", {"other actions", "other"}}}),
      kActions};
  return spec;
}

const ListSpec& contractual_action_specs() {
  static const ListSpec spec{ticks({{"temporary_suspension", {"temporary suspension of purchasing arrangements"}},
                                    {"temporary_restriction", {"temporary restriction of purchasing arrangements"}},
                                    {"permanent_ending", {"permanent ending of contractual arrangements"}},
                                    {"voluntary_withdrawal", {"voluntary withdrawal from contract by provider"}},
                                    {"ended_for_breach", {"contract ended due to breach"}},
                                    {"other", {"other"}}}),
                             kContractualActions};
  return spec;
}

const ListSpec& outcome_specs() {
  static const ListSpec spec{
      ticks({{"safeguarding_resolved", {"safeguarding concerns satisfactorily resolved"}},
             {"quality_resolved", {"quality concerns satisfactorily resolved"}},
             {"criminal_resolved", {"criminal concerns satisfactorily resolved"}},
             {"financial_resolved", {"financial concerns satisfactorily resolved"}},
             {"action_plan_progress", {"satisfactory progress against action plan"}},
             {"closed_no_further_concerns",
              {"closed by nwadcs due to no further concerns", "closed by pnw due to no further concerns",
               "resolved by pnw", "resolved by nwadcs"}},
             {"no_longer_inadequate", {"no longer inadequate"}},
             {"unresolved", {"unable to find a resolution", "unable to find a resolution please explain below"}}}),
      kOutcomes};
  return spec;
}

const ListSpec& contractual_outcome_specs() {
  static const ListSpec spec{ticks({{"suspension_lifted", {"lifting of suspension of purchasing arrangements"}},
                                    {"restrictions_lifted", {"lifting of restrictions on purchasing arrangements"}},
                                    {"none_reached", {"no contractual outcomes reached"}},
                                    {"other", {"other"}}}),
                             kContractualOutcomes};
  return spec;
}

const ListSpec& placement_outcome_specs() {
  static const ListSpec spec{ticks({{"no_actions", {"no actions"}},
                                    {"reviews_concluded", {"placement reviews concluded"}},
                                    {"referrals_reinstated", {"reinstating referrals"}},
                                    {"placement_ended", {"placement ended"}},
                                    {"other", {"other actions", "other"}}}),
                             kPlacementOutcomes};
  return spec;
}

}  // namespace ispd::form_reading
