#!/usr/bin/env bash
# Set up a development environment from scratch: Debian packages, a venv in .venv, the package and its extras.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1

# libxml-parser-perl: ROUGE-1.5.5; chromium, chromium-driver, fonts-liberation: the browser tests (Selenium drives
# /usr/bin/chromium through /usr/bin/chromedriver, nothing is downloaded); wrk: the web load benchmark;
# postgresql: the PostgreSQL store's tests and benchmark start a throwaway server from its binaries;
# openjdk-17-jre-headless: the Java runtime of the Spark engine (`archive --engine spark`).
debs=(libxml-parser-perl chromium chromium-driver fonts-liberation wrk postgresql openjdk-17-jre-headless)
missing=()
for deb in "${debs[@]}"; do dpkg -s "$deb" >/dev/null 2>&1 || missing+=("$deb"); done
if ((${#missing[@]})); then
  echo "== apt-get install ${missing[*]}"
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
echo "== pip install"
.venv/bin/pip install -q -e '.[evaluate,dev,postgres,spark]'
echo "== newsroundup models build"
.venv/bin/newsroundup models build  # the ONNX export and its int8 version, cached; nothing is built on first use
