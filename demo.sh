#!/usr/bin/env bash
# Installs what ispd needs, builds it, and shows what it reads from a mail a
# council sends and from the example forms: the form as JSON, and what a
# sender must fix.
set -euo pipefail
cd "$(dirname "$0")"

bash deploy/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DISPD_BENCH=OFF >/dev/null
cmake --build build -j"$(nproc)" --target ispd

ispd=build/daemon/ispd
forms=tests/data/forms
banner() { printf '\n=== %s\n' "$*"; }

banner "ispd inspect tests/data/mail/restricted-criminality.eml"
"$ispd" inspect tests/data/mail/restricted-criminality.eml

banner "ispd parse $forms/restricted-criminality.docx"
"$ispd" parse "$forms/restricted-criminality.docx"

for form in internal-new-notification restricted-criminality rescind blank-2026; do
  banner "ispd check $forms/$form.docx"
  "$ispd" check "$forms/$form.docx" || true
done
