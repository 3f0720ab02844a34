#include "parsing/safe_xml.hpp"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <cstddef>
#include <string>

namespace ispd {

namespace {

constexpr std::size_t kMaxXmlBytes = std::size_t{64} << 20;

// No XML_PARSE_NOENT, DTDLOAD, DTDATTR or HUGE: entities stay unexpanded and libxml2 keeps its limits.
constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;

struct ParserCtxtFree {
  void operator()(xmlParserCtxt* ctxt) const noexcept { xmlFreeParserCtxt(ctxt); }
};
using ParserCtxt = std::unique_ptr<xmlParserCtxt, ParserCtxtFree>;

void ignore_structured_error(void* /*user_data*/, xmlErrorPtr /*error*/) {}
void ignore_generic_error(void* /*ctx*/, const char* /*msg*/, ...) {}

// Some libxml2 errors (bad encodings, for one) bypass the parser context and go to
// the thread's global handlers, which print to stderr; silence them for one parse.
class SilenceLibxml {
 public:
  SilenceLibxml()
      : structured_(xmlStructuredError),
        structured_ctx_(xmlStructuredErrorContext),
        generic_(xmlGenericError),
        generic_ctx_(xmlGenericErrorContext) {
    xmlSetStructuredErrorFunc(nullptr, ignore_structured_error);
    xmlSetGenericErrorFunc(nullptr, ignore_generic_error);
  }
  ~SilenceLibxml() {
    xmlSetStructuredErrorFunc(structured_ctx_, structured_);
    xmlSetGenericErrorFunc(generic_ctx_, generic_);
  }
  SilenceLibxml(const SilenceLibxml&) = delete;
  SilenceLibxml& operator=(const SilenceLibxml&) = delete;

 private:
  xmlStructuredErrorFunc structured_;
  void* structured_ctx_;
  xmlGenericErrorFunc generic_;
  void* generic_ctx_;
};

void init_libxml_once() {
  static const bool initialised = [] {
    xmlInitParser();
    return true;
  }();
  (void)initialised;
}

bool contains_dtd_markup(std::string_view bytes) {
  return bytes.find("<!DOCTYPE") != std::string_view::npos || bytes.find("<!ENTITY") != std::string_view::npos;
}

// Called by libxml2 at "<!DOCTYPE", before any entity in it is declared: whatever
// the encoding hid from the byte check above, the parse stops here (errNo XML_ERR_USER_STOP).
void refuse_internal_subset(void* ctx, const xmlChar* /*name*/, const xmlChar* /*external_id*/,
                            const xmlChar* /*system_id*/) {
  xmlStopParser(static_cast<xmlParserCtxt*>(ctx));
}

Error dtd_refused(std::string_view part_name) {
  return Error{"has XML with a document type declaration (DTD) in " + std::string(part_name) +
               "; Word files never contain one, so it is refused as unsafe"};
}

Error damaged(const xmlParserCtxt* ctxt, const std::string& part) {
  const xmlError* error = xmlCtxtGetLastError(const_cast<xmlParserCtxt*>(ctxt));
  const int line = error != nullptr ? error->line : 0;
  return Error{"has damaged XML in " + part + (line > 0 ? " (line " + std::to_string(line) + ")" : "")};
}

Result<std::string> checked_part(std::string_view bytes, std::string_view part_name) {
  std::string part(part_name);
  if (bytes.size() > kMaxXmlBytes) {
    return Error{"has an XML part too large to read (" + part + " is over 64 MiB); refused"};
  }
  if (contains_dtd_markup(bytes)) return dtd_refused(part_name);
  return part;
}

// The SAX2 glue: libxml2 hands every callback the parser context, whose
// _private points at this.
struct Stream {
  XmlHandler& handler;
  bool stopped = false;

  static Stream& of(void* ctx) { return *static_cast<Stream*>(static_cast<xmlParserCtxt*>(ctx)->_private); }
  static void stop(void* ctx) {
    of(ctx).stopped = true;
    xmlStopParser(static_cast<xmlParserCtxt*>(ctx));
  }
  static std::string_view view(const xmlChar* s) {
    return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
  }
  static void start(void* ctx, const xmlChar* local, const xmlChar* /*prefix*/, const xmlChar* uri, int /*nb_ns*/,
                    const xmlChar** /*namespaces*/, int nb_attributes, int /*nb_defaulted*/,
                    const xmlChar** attributes) {
    if (!of(ctx).stopped && !of(ctx).handler.start(view(local), view(uri), attributes, nb_attributes)) stop(ctx);
  }
  static void end(void* ctx, const xmlChar* local, const xmlChar* /*prefix*/, const xmlChar* uri) {
    if (!of(ctx).stopped && !of(ctx).handler.end(view(local), view(uri))) stop(ctx);
  }
  static void characters(void* ctx, const xmlChar* chars, int length) {
    if (of(ctx).stopped || length <= 0) return;
    if (!of(ctx).handler.text(
            std::string_view(reinterpret_cast<const char*>(chars), static_cast<std::size_t>(length)))) {
      stop(ctx);
    }
  }
};

}  // namespace

Result<bool> stream_xml(std::string_view bytes, std::string_view part_name, XmlHandler& handler) {
  auto part = checked_part(bytes, part_name);
  if (!part) return part.error();

  init_libxml_once();
  const SilenceLibxml silence;
  ParserCtxt ctxt(xmlNewParserCtxt());
  if (!ctxt || ctxt->sax == nullptr) return Error{"could not be read (out of memory while parsing " + *part + ")"};
  Stream stream{handler};
  ctxt->_private = &stream;
  xmlSAXHandler* sax = ctxt->sax;
  sax->internalSubset = refuse_internal_subset;
  sax->serror = ignore_structured_error;
  sax->startElementNs = Stream::start;
  sax->endElementNs = Stream::end;
  sax->characters = Stream::characters;
  sax->ignorableWhitespace = Stream::characters;
  sax->cdataBlock = Stream::characters;
  sax->reference = nullptr;  // entity references are never expanded into text

  XmlDoc doc(
      xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr, kParseOptions));
  if (stream.stopped) return true;
  const bool has_dtd = doc && (doc->intSubset != nullptr || doc->extSubset != nullptr);
  if (ctxt->errNo == XML_ERR_USER_STOP || has_dtd) return dtd_refused(part_name);
  if (ctxt->wellFormed == 0) return damaged(ctxt.get(), *part);
  return false;
}

Result<XmlDoc> parse_xml(std::string_view bytes, std::string_view part_name) {
  const auto checked = checked_part(bytes, part_name);
  if (!checked) return checked.error();
  const std::string& part = *checked;

  init_libxml_once();
  const SilenceLibxml silence;
  ParserCtxt ctxt(xmlNewParserCtxt());
  if (!ctxt || ctxt->sax == nullptr) return Error{"could not be read (out of memory while parsing " + part + ")"};
  ctxt->sax->internalSubset = refuse_internal_subset;
  ctxt->sax->serror = ignore_structured_error;

  XmlDoc doc(
      xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr, kParseOptions));
  const bool has_dtd = doc && (doc->intSubset != nullptr || doc->extSubset != nullptr);
  if (ctxt->errNo == XML_ERR_USER_STOP || has_dtd) return dtd_refused(part_name);
  if (!doc || ctxt->wellFormed == 0) return damaged(ctxt.get(), part);
  return doc;
}

}  // namespace ispd
