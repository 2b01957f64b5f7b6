#!/usr/bin/env bash
# Creates .venv-compat/ (the MLflow client + pytest for Tests/compat) and installs
# Tests/compat/requirements.txt only when it changed since the last successful install.
#
#   scripts/setup-python.sh            # prints the venv's python path on the last line
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-compat
req=Tests/compat/requirements.txt
stamp=$venv/.requirements.sha256

if [ ! -x "$venv/bin/python" ]; then
    # Debian ships venv without ensurepip unless python3-venv is installed.
    if ! python3 -m venv "$venv" 2>/dev/null; then
        rm -rf "$venv"
        sudo_cmd=()
        [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
        pyver=$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
        "${sudo_cmd[@]}" apt-get update -qq
        # python3.X-venv is the package that carries ensurepip on Debian; python3-venv depends on it.
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends python3-venv \
            || DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "python$pyver-venv"
        python3 -m venv "$venv"
    fi
fi

want=$( (sha256sum "$req"; "$venv/bin/python" -c 'import sys; print(sys.version)') | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup-python: installing $req into $venv" >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req" >&2
    # Written only after pip succeeded, so an interrupted install is retried next time.
    echo "$want" > "$stamp"
fi
echo "$PWD/$venv/bin/python"
