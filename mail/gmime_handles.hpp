#pragma once
// GMime and GLib handles owned in C++, and GMime's one set-up per process:
// shared by the reader (mime.cpp) and the composer (compose.cpp). Internal
// to mail/.

#include <gmime/gmime.h>

#include <memory>

namespace ispd::mail::detail {

// GMime keeps global tables (charsets, type registry); it is set up once per
// process, and g_mime_init counts its callers, so the reader and the composer
// may both ask.
inline void ensure_gmime() {
  static const bool initialised = [] {
    g_mime_init();
    return true;
  }();
  (void)initialised;
}

struct GObjectUnref {
  void operator()(gpointer p) const { g_object_unref(p); }
};
template <class T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(gpointer p) const { g_free(p); }
};
using GCharPtr = std::unique_ptr<gchar, GFree>;

struct DateTimeUnref {
  void operator()(GDateTime* p) const { g_date_time_unref(p); }
};

}  // namespace ispd::mail::detail
