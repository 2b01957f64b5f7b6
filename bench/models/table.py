#!/usr/bin/env python3
"""Turns bench/models/results/*.json (mixbit eval outputs) into one Markdown table."""
import glob
import json
import os
import sys

METRIC = {"accuracy": ("accuracy", "top-1 %", 100), "embedding-fidelity": ("mean_cosine", "mean cosine", 1),
          "perplexity": ("perplexity", "perplexity", 1)}
LABEL = {"0-float32": "Float32", "1-w8a8": "W8A8 int, dynamic per-token A", "1b-w8a8-static": "W8A8 int, static A",
         "2-w8a8-smoothquant": "W8A8 SmoothQuant, static A",
         "2b-w8a8-smoothquant-dynamic": "W8A8 SmoothQuant, dynamic per-token A",
         "3-w4a16-rtn": "W4A16 RTN", "4-w4a16-gptq": "W4A16 GPTQ", "5-w4a16-awq": "W4A16 AWQ", "6-w4a8-ant": "W4A8 ANT, static A",
         "7-w4a4-olive": "W4A4 OliVe, static A", "8-w4a4-int": "W4A4 int, static A"}


def main(folder):
    print("| model | config | metric | value | NN agreement | model bytes | eval s | wall s | throughput | GEMM GFLOP/s | sgemm 1024³ GFLOP/s | fraction of peak |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        name = os.path.basename(path)[:-5]
        model, config = name.split("-", 1)
        with open(path) as f:
            r = json.load(f)
        key, label, factor = METRIC[r["task"]]
        value = r["metrics"][key]["value"] * factor
        nn = r["metrics"].get("nearest_neighbour_agreement", {}).get("value")
        g = r["gemm"]
        print(f"| {model} | {LABEL.get(config, config)} | {label} | {value:.4f} | {'' if nn is None else f'{nn:.3f}'} "
              f"| {r['model_bytes']:,} | {r['evaluation_seconds']:.2f} | {r['wall_seconds']:.1f} | {r['throughput']['value']:,.0f} {r['throughput']['unit']} "
              f"| {g['achieved_gflops']:.2f} | {g.get('sgemm_peak_gflops', float('nan')):.1f} | {g.get('fraction_of_sgemm_peak', float('nan')):.3f} |")


if __name__ == "__main__":
    main(sys.argv[1])
