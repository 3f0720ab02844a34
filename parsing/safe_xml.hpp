#pragma once
// libxml2 with no network, no DTD loading, no entity substitution and its
// default (not HUGE) limits. A document that declares a DTD is refused
// outright: a Word part never needs one, and entities are how XML attacks work.

#include <memory>
#include <string_view>

#include <libxml/tree.h>

#include "util/result.hpp"

namespace ispd {

struct XmlDocFree {
  void operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }
};
using XmlDoc = std::unique_ptr<xmlDoc, XmlDocFree>;

// part_name names the part in the error message ("word/document.xml").
Result<XmlDoc> parse_xml(std::string_view bytes, std::string_view part_name);

// What stream_xml reports, element by element, without building a tree.
// Attributes come as libxml2's SAX2 array: `count` entries of five pointers
// (local name, prefix, URI, value start, value end). Returning false from any
// call stops the reading there.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual bool start(std::string_view local, std::string_view uri, const xmlChar** attributes, int count) = 0;
  virtual bool end(std::string_view local, std::string_view uri) = 0;
  virtual bool text(std::string_view chars) = 0;
};

// Streams the XML through the handler with the same safety as parse_xml.
// Gives true when the handler stopped the reading early, false when it read
// to the end; damaged XML before the stop is an error.
Result<bool> stream_xml(std::string_view bytes, std::string_view part_name, XmlHandler& handler);

}  // namespace ispd
