#!/usr/bin/env bash
# Install what hoso needs on a Debian machine: system packages, then a Python venv in .venv.
#   scripts/setup.sh run    what the service needs (Tesseract + models, poppler, fonts)
#   scripts/setup.sh test   plus the real parts the tests talk to (SoftHSM2, NSS tools, Redis, ...)
#   scripts/setup.sh bench  plus the peers the benchmarks measure against (OCRmyPDF, Ghostscript)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}

run_packages=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng poppler-utils
              qpdf fonts-dejavu-core fonts-noto-core fonts-liberation)
test_packages=(softhsm2 libnss3-tools redis-server postgresql chromium)
bench_packages=(ghostscript tesseract-ocr-osd)  # OCRmyPDF --rotate-pages reads OSD
extras=""
packages=("${run_packages[@]}")
case "$mode" in
  run) ;;
  test) packages+=("${test_packages[@]}"); extras="[test]" ;;
  bench) packages+=("${test_packages[@]}" "${bench_packages[@]}"); extras="[test,bench]" ;;
  *) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "Installing system packages: ${missing[*]}" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
