#pragma once
// Circulation: which lists a notification goes to, from its confidentiality and
// the (audience, scope) pairs ticked in section 3, and the protocol's limits on
// restricted notifications. A pure function of the form and the lists.

#include <span>
#include <string>
#include <vector>

#include "daemon/protocol/policy.hpp"
#include "parsing/form.hpp"

namespace ispd::protocol {

// A choice the protocol did not follow as ticked, and why, in words for the acknowledgement.
struct DroppedChoice {
  std::string audience;
  std::string scope;   // north_west | national | area:<name> (just "area" when no area was named)
  std::string reason;  // "restricted notifications go to the North West list only"
  bool operator==(const DroppedChoice&) const = default;
};

struct Circulation {
  // The lists used, as "audience/scope" (e.g. "police/north_west"), in the form's order;
  // a National choice gives its national list, then its North West list.
  std::vector<std::string> lists;
  // Every member of those lists once, ignoring ASCII case, in first-seen order.
  std::vector<std::string> recipients;
  // Choices narrowed or dropped by policy (restricted, or an audience the form does not
  // offer, such as "partners"), for the sender to be told.
  std::vector<DroppedChoice> dropped;
  // Choices with no list configured (an area with no area:<name> list, or any
  // pair nobody configured): NWADCS must circulate these by hand.
  std::vector<DroppedChoice> by_hand;
  // "OFFICIAL-SENSITIVE" for restricted and confidential, "OFFICIAL" for internal
  // (and for a form with no confidentiality, which validation returns anyway).
  std::string classification;
};

Circulation route(const Form& form, std::span<const CirculationList> lists);

}  // namespace ispd::protocol
