#!/usr/bin/env bash
# Installs, from Debian's packages, what the test suite drives for real: Chromium for the
# browser tests, Calibre for AZW3/MOBI/PDF, epubcheck, poppler (pdftotext) and PostgreSQL
# with the RUM extension, GNU gettext for the translations.
# Only what is missing; tests that need a missing tool skip when this cannot run (not root).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v ebook-convert >/dev/null || need+=(calibre)
[ -f /usr/share/java/epubcheck.jar ] || need+=(epubcheck)
command -v pdftotext >/dev/null || need+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql postgresql-contrib)
# RUM: a full-text index with positions (phrase search and ranking from the index).
ls /usr/share/postgresql/*/extension/rum.control >/dev/null 2>&1 || need+=(postgresql-15-rum)
command -v redis-server >/dev/null || need+=(redis-server)
# GNU gettext: `make messages` and `make compilemessages`, and the test that the catalogues
# hold every string the code marks (it skips without xgettext).
command -v xgettext >/dev/null || need+=(gettext)
# npm installs axe-core (package.json) for the accessibility browser tests.
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "system-deps: missing ${need[*]}; run as root or install them (tests needing them will skip)" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
