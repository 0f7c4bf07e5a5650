#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing:
# chromium (browser tests through Playwright), gettext (translation checks), and for the
# PDF reports (WeasyPrint, lens/web/pdf.py) the pango libraries and a fallback font, with
# poppler-utils (pdftotext, pdfinfo, pdftoppm: the tests read the PDFs back), and
# postgresql-client (pg_dump, pg_restore: the restore drill on PostgreSQL; the Dockerfile
# installs it for `lens backup` and `lens restore` in production).
#
#   scripts/system-deps.sh            everything the tests need (make test, CI)
#   scripts/system-deps.sh --runtime  only what the application itself needs (make setup)
set -eu
missing=()
runtime_only=false; [ "${1:-}" = --runtime ] && runtime_only=true
if ! $runtime_only; then
  command -v chromium >/dev/null || missing+=(chromium)
  command -v msgfmt >/dev/null || missing+=(gettext)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  { command -v pg_dump && command -v pg_restore; } >/dev/null || missing+=(postgresql-client)
fi
has_lib() { { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q "$1"; }
has_lib libpango-1.0.so.0 || missing+=(libpango-1.0-0)
has_lib libpangoft2-1.0.so.0 || missing+=(libpangoft2-1.0-0)
has_lib libharfbuzz-subset.so.0 || missing+=(libharfbuzz-subset0)
# The PDFs use the vendored Noto Sans (static/vendor/); DejaVu is fontconfig's fallback.
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
  echo "Missing Debian packages: ${missing[*]}. Install them with: apt-get install ${missing[*]}" >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
echo "Installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
