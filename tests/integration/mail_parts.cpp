#include "tests/integration/mail_parts.hpp"

#include <gmime/gmime.h>

#include <memory>

namespace ispd::test {

namespace {

struct Unref {
  void operator()(gpointer p) const { g_object_unref(p); }
};
template <class T>
using Owned = std::unique_ptr<T, Unref>;

void collect(GMimeObject* object, std::vector<TextPart>& out) {
  if (GMIME_IS_MULTIPART(object)) {
    auto* multipart = GMIME_MULTIPART(object);
    for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i)
      collect(g_mime_multipart_get_part(multipart, i), out);
    return;
  }
  if (!GMIME_IS_PART(object) || GMIME_IS_TEXT_PART(object) == FALSE) return;
  auto* part = GMIME_PART(object);
  if (g_mime_part_is_attachment(part)) return;
  GMimeContentType* type = g_mime_object_get_content_type(object);
  char* mime_type = g_mime_content_type_get_mime_type(type);
  char* text = g_mime_text_part_get_text(GMIME_TEXT_PART(object));
  out.push_back({mime_type ? mime_type : "", text ? text : ""});
  g_free(text);
  g_free(mime_type);
}

}  // namespace

std::vector<TextPart> text_parts(const std::string& raw) {
  static const bool initialised = [] {
    g_mime_init();
    return true;
  }();
  (void)initialised;
  Owned<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  Owned<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  Owned<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  std::vector<TextPart> out;
  if (message) collect(g_mime_message_get_mime_part(message.get()), out);
  return out;
}

std::string text_of(const std::string& raw, const std::string& content_type) {
  for (auto& part : text_parts(raw)) {
    if (part.content_type == content_type) return part.text;
  }
  return {};
}

}  // namespace ispd::test
