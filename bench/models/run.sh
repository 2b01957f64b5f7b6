#!/usr/bin/env bash
# Quantized-model report: every model × quant config through `mixbit eval` (release build), holding the shared build
# lock so that no build or test competes for the cores, then one Markdown table (bench/models/table.py).
# Usage: bench/models/run.sh [--quick]   (--quick: perplexity on the first 8 192 held-out tokens instead of all)
# Needs models/all-MiniLM-L6-v2 (`make models`). Results: bench/models/results/*.json and results.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
flock /tmp/mixbit-swift.lock swift build -c release --product mixbit >&2
OUT=bench/models/results
mkdir -p "$OUT"
rm -f "$OUT"/*.json
TOKENS=()
[[ "${1:-}" == "--quick" ]] && TOKENS=(--max-tokens 8192)
C=bench/models/configs
F=Tests/Fixtures
CAL=$F/calibration

run() {  # NAME MODEL-ARGS…: one evaluation, its JSON kept under $OUT/NAME.json
    local name=$1
    shift
    echo "== $name" >&2
    .build/release/mixbit eval --measure-gemm "$@" > "$OUT/$name.json"
}

# SMOOTHQUANT-SUFFIX picks the SmoothQuant configs: "-bert" / "-gpt2" smooth only the LayerNorm-fed layers (q/k/v
# and the first FFN layer, as the paper does, QUANT_SPEC §7.3) and quantize the rest as plain W8A8; "" smooths every
# layer (the CNN has no LayerNorm).
sweep() {  # PREFIX CALIBRATION OLIVE-CONFIG SMOOTHQUANT-SUFFIX EVAL-ARGS…
    local prefix=$1 calibration=$2 olive=$3 smooth=$4
    shift 4
    run "$prefix-0-float32" "$@"
    run "$prefix-1-w8a8" "$@" --quant $C/w8a8.json
    run "$prefix-1b-w8a8-static" "$@" --quant $C/w8a8-static.json --calibration "$calibration"
    run "$prefix-2-w8a8-smoothquant" "$@" --quant $C/w8a8-smoothquant$smooth.json --calibration "$calibration"
    run "$prefix-2b-w8a8-smoothquant-dynamic" "$@" --quant $C/w8a8-smoothquant-dynamic$smooth.json --calibration "$calibration"
    run "$prefix-3-w4a16-rtn" "$@" --quant $C/w4a16-rtn.json
    run "$prefix-4-w4a16-gptq" "$@" --quant $C/w4a16-gptq.json --calibration "$calibration"
    run "$prefix-5-w4a16-awq" "$@" --quant $C/w4a16-awq.json --calibration "$calibration"
    run "$prefix-6-w4a8-ant" "$@" --quant $C/w4a8-ant.json --calibration "$calibration"
    run "$prefix-7-w4a4-olive" "$@" --quant "$olive" --calibration "$calibration"
    run "$prefix-8-w4a4-int" "$@" --quant $C/w4a4-int.json --calibration "$calibration"
}

# Hold the build lock for the whole sweep (fd 9 stays open until the script exits).
exec 9>>/tmp/mixbit-swift.lock
flock 9
sweep digits $CAL/digits.safetensors $C/w4a4-olive-digits.json "" --model $F/digits --task accuracy
sweep minilm $CAL/minilm.txt $C/w4a4-olive.json -bert --model models/all-MiniLM-L6-v2 --task embedding-fidelity \
    --data $F/minilm/sentences.txt
sweep kjv $CAL/kjv.txt $C/w4a4-olive.json -gpt2 --model $F/kjv-gpt2 --task perplexity --data $F/kjv/heldout.txt ${TOKENS[@]+"${TOKENS[@]}"}
python3 bench/models/table.py "$OUT" | tee bench/models/results.md
