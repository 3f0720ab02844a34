#!/usr/bin/env bash
# Regenerates the converted example forms that tests/parsing/fill_styles_test.cpp
# reads. The outputs are committed, so the tests need neither LibreOffice nor
# pandoc; run this only to remake them (e.g. after an example form changes).
#
#   <example>.libreoffice.docx      the example opened and saved again by LibreOffice Writer
#   <example>.libreoffice-odt.docx  the example saved as .odt, then that saved back as .docx
#                                   (a form filled in LibreOffice's own format, then sent as Word)
#   internal-new-notification.pandoc.docx
#                                   internal-new-notification.md converted by pandoc
#
# Needs: soffice (Debian: apt-get install libreoffice-writer-nogui) and pandoc.
# Made with LibreOffice 7.4 and pandoc 2.17 (Debian 12); other versions write
# different XML, which is the point of keeping these files, not a problem.
#
# The other fill styles (legacy check boxes, typed ticks, tracked changes, ...)
# are made in memory by the tests themselves from the example forms.

set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
examples=(internal-new-notification restricted-criminality rescind)

for tool in soffice pandoc; do
  command -v "$tool" >/dev/null || { echo "make-fixtures.sh: $tool is not installed" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A fresh LibreOffice profile, so no user setting changes the output and a
# running LibreOffice does not swallow the conversion.
soffice_convert() {  # FORMAT OUTDIR FILE
  soffice "-env:UserInstallation=file://$work/profile" --headless --norestore \
    --convert-to "$1" --outdir "$2" "$3" >/dev/null 2> >(grep -v javaldx >&2)
}

for name in "${examples[@]}"; do
  mkdir -p "$work/$name/docx" "$work/$name/odt" "$work/$name/back"

  soffice_convert 'docx:MS Word 2007 XML' "$work/$name/docx" "$here/$name.docx"
  cp "$work/$name/docx/$name.docx" "$here/$name.libreoffice.docx"

  soffice_convert odt "$work/$name/odt" "$here/$name.docx"
  soffice_convert 'docx:MS Word 2007 XML' "$work/$name/back" "$work/$name/odt/$name.odt"
  cp "$work/$name/back/$name.docx" "$here/$name.libreoffice-odt.docx"
done

# A fixed date in docProps/core.xml, so remaking the file changes nothing needlessly.
SOURCE_DATE_EPOCH=1767225600 pandoc -f markdown -t docx \
  -o "$here/internal-new-notification.pandoc.docx" "$here/internal-new-notification.md"

echo "make-fixtures.sh: wrote $(( ${#examples[@]} * 2 + 1 )) files in $here"
