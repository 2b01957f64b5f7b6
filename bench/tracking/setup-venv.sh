#!/usr/bin/env bash
# Creates .venv-bench/ with MLflow's server (mlflow==3.17.2) and FastTrackML's (fasttrackml==0.6.0); reinstalls only when requirements.txt changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.venv-bench
req=bench/tracking/requirements.txt
stamp=$venv/.requirements.sha256
if [ ! -x "$venv/bin/python" ]; then
    if ! python3 -m venv "$venv" 2>/dev/null; then
        rm -rf "$venv"
        sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
        "${sudo_cmd[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends python3-venv
        python3 -m venv "$venv"
    fi
fi
fml_pin=fasttrackml==0.6.0
want=$( (sha256sum "$req"; echo "$fml_pin"; "$venv/bin/python" -c 'import sys; print(sys.version)') | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "bench/tracking: installing $req into $venv" >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
    # --no-deps: FastTrackML's client requires mlflow<3, which conflicts with the pin above; the
    # benchmark uses only the Go server binary (bin/fml) shipped in the wheel.
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps "$fml_pin"
    echo "$want" > "$stamp"
fi
