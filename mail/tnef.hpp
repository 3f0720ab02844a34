#pragma once
// Outlook's winmail.dat (application/ms-tnef, MS-OXTNEF): the files it carries.
// A small bounded reader of our own rather than libytnef, which prints its
// diagnostics on stdout and trusts a length field before checking it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace ispd::mail {

struct TnefFile {
  std::string name;          // the long file name when TNEF has one, else the short title; UTF-8
  std::string content_type;  // PR_ATTACH_MIME_TAG when present, else empty
  std::string bytes;
};

// Reads every attached file; embedded Outlook items (attached messages) are skipped.
// The error message follows the file's name ("is not a TNEF file").
Result<std::vector<TnefFile>> read_tnef(std::string_view tnef, std::size_t max_files);

}  // namespace ispd::mail
