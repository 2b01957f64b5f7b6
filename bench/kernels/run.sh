#!/usr/bin/env bash
# Builds the kernel benchmark in release mode and runs it, both under the shared build lock, printing Markdown tables.
# Usage: bench/kernels/run.sh [--quick] [--skip-quantization] [--shape ROWSxK] [--gemv-only] [--kernel NAME] [--rounds N]
set -euo pipefail
cd "$(dirname "$0")/../.."
flock /tmp/mixbit-swift.lock swift build -c release --product mixbit-bench-kernels >&2
# The run holds the same lock so that no build or test of the other worktrees competes for the cores.
exec flock /tmp/mixbit-swift.lock .build/release/mixbit-bench-kernels "$@"
