#pragma once
// Who may issue a notification and who receives one: the [[authority]] and
// [[list]] sections of the config, as the protocol's rules read them.

#include <string>
#include <vector>

namespace ispd::protocol {

// A council or partner that may issue notifications, by its mail domains.
struct Authority {
  std::string name;
  std::vector<std::string> domains;  // lower case, e.g. "bolton.gov.uk"; subdomains count too
};

// A circulation list: one audience at one scope.
struct CirculationList {
  std::string audience;  // form-schema.md audience key, or "partners" (the monthly spreadsheet)
  std::string scope;     // north_west | national | area:<name>
  std::vector<std::string> members;
};

}  // namespace ispd::protocol
