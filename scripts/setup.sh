#!/usr/bin/env bash
# Set up this checkout on a fresh machine: a virtual environment (.venv) with the core,
# the four working-group plugins and the test tools, pinned by requirements/constraints.txt.
# With --test-clients it also installs, from Debian's packages, what the end-to-end tests
# drive: LibreOffice Impress (PPTX → PDF) and Calc (opens the workbook inside each chart), poppler-utils (pdftotext, pdffonts, pdftoppm, pdfinfo), qpdf
# (qpdf --check on every PDF), the BIZ UDPGothic font, so LibreOffice renders our PPTX with the font our layout measured,
# IPAexGothic (a second free TrueType family, the font of one of the test templates in tests/templates),
# python3-uno, LibreOffice's API for the system python3 (/usr/bin/python3; the tests run it in a
# subprocess), with which the tests read slide titles back and edit a deck as a user would, and
# Chromium, which the preview's browser tests drive through Playwright (Playwright's own browser
# download is not used: the tests launch /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--test-clients" ]; then
  missing=()
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-impress libreoffice-core)
  dpkg-query -W -f '${Status}' libreoffice-calc 2>/dev/null | grep -q "ok installed" || missing+=(libreoffice-calc)
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
  /usr/bin/python3 -c "import uno" >/dev/null 2>&1 || missing+=(python3-uno)
  command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
  fc-list 2>/dev/null | grep -q "BIZ UDPGothic" || missing+=(fonts-morisawa-bizud-gothic fontconfig)
  fc-list 2>/dev/null | grep -q "IPAexGothic" || missing+=(fonts-ipaexfont-gothic fontconfig)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -c requirements/constraints.txt \
  -e ".[test]" -e plugins/dx -e plugins/international -e plugins/talent -e plugins/wa
# Editable installs are not byte-compiled by pip; compile them now, so that a `council build` does not
# compile every module of its own on each start where Python writes no bytecode (PYTHONDONTWRITEBYTECODE).
.venv/bin/python -m compileall -q src plugins/*/src >/dev/null
