#!/usr/bin/env bash
# Installs the Debian packages that building, serving, testing and benchmarking need, once.
# Safe to run repeatedly: it only calls apt-get when something is missing.
set -euo pipefail

packages=(
    pkg-config
    libsqlite3-dev
    libpq-dev
    libopenblas-dev
    postgresql
    python3-venv
    bible-kjv
    bible-kjv-text
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "install-deps: installing ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
