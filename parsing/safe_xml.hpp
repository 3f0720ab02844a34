#pragma once
// libxml2 with no network, no DTD loading, no entity substitution and its
// default (not HUGE) limits. A document that declares a DTD is refused
// outright: a Word part never needs one, and entities are how XML attacks work.

#include <memory>
#include <string_view>

#include <libxml/tree.h>

#include "parsing/result.hpp"

namespace ispd {

struct XmlDocFree {
  void operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }
};
using XmlDoc = std::unique_ptr<xmlDoc, XmlDocFree>;

// part_name names the part in the error message ("word/document.xml").
Result<XmlDoc> parse_xml(std::string_view bytes, std::string_view part_name);

}  // namespace ispd
