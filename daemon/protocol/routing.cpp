#include "daemon/protocol/routing.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "util/text.hpp"

namespace ispd::protocol {

namespace {

// The audiences a restricted notification may reach, and only at North West scope.
constexpr std::array<std::string_view, 5> kRestrictedAudiences = {"childrens_services", "lado", "safeguarding_unit",
                                                                  "health", "police"};

// Gets the monthly spreadsheet; never a circulation target.
constexpr std::string_view kPartners = "partners";
constexpr std::string_view kAreaPrefix = "area:";

constexpr std::string_view kNarrowed = "restricted notifications go to the North West list only";

using text::is_space;
using text::lower;
using text::lowercase;
using text::trimmed;

bool is_separator(char c) { return is_space(c) || c == '-' || c == '_'; }

// An area's name as compared: "Greater Manchester", " greater-manchester " and
// "GREATER_MANCHESTER" are one area, as officers and config writers spell it differently.
std::string area_key(std::string_view name) {
  std::string key;
  bool gap = false;
  for (const char c : trimmed(name)) {
    if (is_separator(c)) {
      gap = true;
      continue;
    }
    if (gap && !key.empty()) key += ' ';
    gap = false;
    key += lower(c);
  }
  return key;
}

// The audience in prose, for reasons read by officers and NWADCS.
std::string audience_words(std::string_view audience) { return std::string(audience_names(audience).in_prose); }

bool is_audience(std::string_view audience) {
  return std::find(kAudiences.begin(), kAudiences.end(), audience) != kAudiences.end();
}

bool restricted_may_reach(std::string_view audience) {
  return std::find(kRestrictedAudiences.begin(), kRestrictedAudiences.end(), audience) != kRestrictedAudiences.end();
}

// A choice's area name, or empty when "Specify area" was ticked with no name.
std::string_view area_name(const CirculationChoice& choice) {
  return choice.area ? trimmed(*choice.area) : std::string_view{};
}

// The choice's scope as DroppedChoice writes it: north_west, national, area:<name>, or just "area" with no name.
std::string scope_text(const CirculationChoice& choice) {
  switch (choice.scope) {
    case Scope::north_west: return "north_west";
    case Scope::national: return "national";
    case Scope::area: break;
  }
  const std::string_view name = area_name(choice);
  return name.empty() ? "area" : std::string(kAreaPrefix) + std::string(name);
}

// Builds the Circulation one (audience, scope) pair at a time.
class Router {
 public:
  explicit Router(std::span<const CirculationList> lists) : lists_(lists) {}

  // Takes every list configured for this audience at this scope (name: the
  // area's, for Scope::area), or asks NWADCS to circulate by hand if there is none.
  void select(const std::string& audience, Scope scope, std::string_view name) {
    const std::string key = canonical(audience, scope, name);
    if (!handled_.insert(key).second) return;

    const CirculationList* first = nullptr;
    for (const CirculationList& list : lists_) {
      if (!matches(list, audience, scope, name)) continue;
      if (first == nullptr) first = &list;
      for (const std::string& member : list.members) {
        if (recipients_seen_.insert(lowercase(member)).second) result_.recipients.push_back(member);
      }
    }
    if (first != nullptr) {
      result_.lists.push_back(audience + "/" + first->scope);
      return;
    }
    std::string scope_name;
    std::string where;
    switch (scope) {
      case Scope::north_west:
        scope_name = "north_west";
        where = "at North West scope";
        break;
      case Scope::national:
        scope_name = "national";
        where = "at national scope";
        break;
      case Scope::area:
        scope_name = std::string(kAreaPrefix) + std::string(name);
        where = "for the area \"" + std::string(name) + "\"";
        break;
    }
    by_hand(audience, std::move(scope_name), "no list is configured for " + audience_words(audience) + " " + where);
  }

  void by_hand(const std::string& audience, std::string scope, std::string reason) {
    add_once(result_.by_hand, {audience, std::move(scope), std::move(reason)});
  }

  void drop(const std::string& audience, std::string scope, std::string reason) {
    add_once(result_.dropped, {audience, std::move(scope), std::move(reason)});
  }

  Circulation take() && { return std::move(result_); }

 private:
  static std::string canonical(const std::string& audience, Scope scope, std::string_view name) {
    switch (scope) {
      case Scope::north_west: return audience + "/north_west";
      case Scope::national: return audience + "/national";
      case Scope::area: break;
    }
    return audience + "/" + std::string(kAreaPrefix) + area_key(name);
  }

  static bool matches(const CirculationList& list, std::string_view audience, Scope scope, std::string_view name) {
    if (list.audience != audience || list.audience == kPartners) return false;
    switch (scope) {
      case Scope::north_west: return list.scope == "north_west";
      case Scope::national: return list.scope == "national";
      case Scope::area: break;
    }
    if (!list.scope.starts_with(kAreaPrefix)) return false;
    const std::string wanted = area_key(name);
    return !wanted.empty() && area_key(std::string_view(list.scope).substr(kAreaPrefix.size())) == wanted;
  }

  static void add_once(std::vector<DroppedChoice>& choices, DroppedChoice choice) {
    if (std::find(choices.begin(), choices.end(), choice) == choices.end()) choices.push_back(std::move(choice));
  }

  std::span<const CirculationList> lists_;
  Circulation result_;
  std::unordered_set<std::string> handled_;          // pairs already selected or sent by hand
  std::unordered_set<std::string> recipients_seen_;  // lower-case addresses
};

}  // namespace

Circulation route(const Form& form, std::span<const CirculationList> lists) {
  const bool restricted = form.confidentiality == Confidentiality::restricted;
  Router router(lists);

  for (const CirculationChoice& choice : form.circulation) {
    const std::string& audience = choice.audience;
    // Only the form's own audiences are circulated to; "partners" above all never is.
    if (!is_audience(audience)) {
      router.drop(audience, scope_text(choice), "\"" + audience + "\" is not one of the form's audiences");
      continue;
    }
    if (restricted && !restricted_may_reach(audience)) {
      router.drop(audience, scope_text(choice),
                  "restricted notifications are not circulated to " + audience_words(audience));
      continue;
    }
    if (restricted && choice.scope != Scope::north_west) {
      router.drop(audience, scope_text(choice), std::string(kNarrowed));
      router.select(audience, Scope::north_west, {});
      continue;
    }
    switch (choice.scope) {
      case Scope::north_west: router.select(audience, Scope::north_west, {}); break;
      // The whole country, the North West included.
      case Scope::national:
        router.select(audience, Scope::national, {});
        router.select(audience, Scope::north_west, {});
        break;
      case Scope::area:
        if (area_name(choice).empty()) {
          router.by_hand(audience, "area",
                         "\"Specify area\" is ticked for " + audience_words(audience) + " but no area is named");
        } else {
          router.select(audience, Scope::area, area_name(choice));
        }
        break;
    }
  }

  Circulation circulation = std::move(router).take();
  const bool sensitive =
      form.confidentiality == Confidentiality::restricted || form.confidentiality == Confidentiality::confidential;
  circulation.classification = sensitive ? "OFFICIAL-SENSITIVE" : "OFFICIAL";
  return circulation;
}

}  // namespace ispd::protocol
