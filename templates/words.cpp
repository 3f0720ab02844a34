#include "templates/words.hpp"

namespace ispd::templates {

namespace {

struct Words {
  std::string_view field;
  std::string_view key;
  std::string_view words;
};

// form-schema.md's "Keys, in the form's order", with the form's words. An
// "Other" keeps only the box's label: its text is on the form, not in the mail.
constexpr Words kWords[] = {
    {"confidentiality", "restricted",
     "Restricted: Cannot be shared with the provider as linked to criminal activity, ongoing criminal "
     "investigation or risk of harm"},
    {"confidentiality", "confidential", "Confidential: Cannot be shared with provider whilst information is gathered"},
    {"confidentiality", "internal", "Internal: Can be shared with the named provider and ISP partners only"},

    {"audience", "childrens_services", "Childrens Services via commissioning and placement teams"},
    {"audience", "lado", "LADO"},
    {"audience", "safeguarding_unit", "Safeguarding unit"},
    {"audience", "health", "Health (responsible ICB)"},
    {"audience", "adult_services", "Adult's services via commissioning teams"},
    {"audience", "police", "Police"},
    {"audience", "schools", "Schools (Alternative Provision only)"},

    {"scope", "north_west", "North West"},
    {"scope", "national", "National"},
    {"scope", "area", "Specify area"},

    {"affected", "whole_organisation", "Whole organisation affected"},
    {"affected", "setting_only", "Setting only affected"},

    {"service_type", "residential", "Residential"},
    {"service_type", "supported_accommodation", "Supported Accommodation"},
    {"service_type", "fostering", "Fostering"},
    {"service_type", "send_school_or_college", "SEND School or College"},
    {"service_type", "alternative_provision", "Alternative Provision"},
    {"service_type", "unregistered_social_care", "Unregistered social care"},
    {"service_type", "unregistered_school", "Unregistered school"},
    {"service_type", "other", "Other"},

    {"contract", "residential_fps", "Residential FPS"},
    {"contract", "supported_accommodation_fps", "Supported Accommodation FPS"},
    {"contract", "send_fps", "SEND FPS (including Alternative Provision)"},
    {"contract", "fostering_fps", "Fostering FPS"},
    {"contract", "off_contract", "Off contract"},
    {"contract", "local_contract", "Local contract"},
    {"contract", "other", "Other"},

    {"concern", "safeguarding", "Safeguarding"},
    {"concern", "quality", "Quality"},
    {"concern", "criminality", "Criminality"},
    {"concern", "financial", "Financial"},
    {"concern", "inspection_outcome", "Inspection outcome"},
    {"concern", "business_continuity", "Business continuity"},
    {"concern", "no_evidence_of_insurance", "No evidence of insurance provided"},
    {"concern", "other", "Other"},

    {"action", "police_investigation", "Police investigation initiated"},
    {"action", "lado_or_pipot_referral", "LADO or PIPOT referral made"},
    {"action", "ending_placements", "Ending placement(s)"},
    {"action", "reviewing_placements", "Actively reviewing placement(s)"},
    {"action", "suspending_referrals", "Suspending new referrals"},
    {"action", "action_plan", "Action or Improvement Plan"},
    {"action", "no_local_action", "No local action"},
    {"action", "other", "Other actions"},

    {"contractual_action", "temporary_suspension", "Temporary suspension of purchasing arrangements"},
    {"contractual_action", "temporary_restriction", "Temporary restriction of purchasing arrangements"},
    {"contractual_action", "permanent_ending", "Permanent ending of contractual arrangements"},
    {"contractual_action", "voluntary_withdrawal", "Voluntary withdrawal from contract by provider"},
    {"contractual_action", "ended_for_breach", "Contract ended due to breach"},
    {"contractual_action", "other", "Other"},

    {"outcome", "safeguarding_resolved", "Safeguarding concerns satisfactorily resolved"},
    {"outcome", "quality_resolved", "Quality concerns satisfactorily resolved"},
    {"outcome", "criminal_resolved", "Criminal concerns satisfactorily resolved"},
    {"outcome", "financial_resolved", "Financial concerns satisfactorily resolved"},
    {"outcome", "action_plan_progress", "Satisfactory progress against action plan"},
    {"outcome", "closed_no_further_concerns", "Closed by NWADCS due to no further concerns (after 6 months)"},
    {"outcome", "no_longer_inadequate", "No longer inadequate"},
    {"outcome", "unresolved", "Unable to find a resolution"},

    {"contractual_outcome", "suspension_lifted", "Lifting of suspension of purchasing arrangements"},
    {"contractual_outcome", "restrictions_lifted", "Lifting of restrictions on purchasing arrangements"},
    {"contractual_outcome", "none_reached", "No contractual outcomes reached"},
    {"contractual_outcome", "other", "Other"},

    {"placement_outcome", "no_actions", "No actions"},
    {"placement_outcome", "reviews_concluded", "Placement reviews concluded"},
    {"placement_outcome", "referrals_reinstated", "Reinstating referrals"},
    {"placement_outcome", "placement_ended", "Placement ended"},
    {"placement_outcome", "other", "Other actions"},

    {"stage", "issue", "Issue (Section A)"},
    {"stage", "provider_response", "Provider response"},
    {"stage", "rescind", "Rescind (Section B)"},
};

}  // namespace

std::optional<std::string_view> form_words(std::string_view field, std::string_view key) {
  for (const Words& words : kWords) {
    if (words.field == field && words.key == key) return words.words;
  }
  return std::nullopt;
}

}  // namespace ispd::templates
