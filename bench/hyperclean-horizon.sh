#!/usr/bin/env bash
# Horizon sweep on data hyper-cleaning (Fashion-MNIST, 5000 noisy training examples, softmax
# regression): time per outer iteration and peak resident memory of `rhg` with the stored graph,
# `rhg` with trajectory replay and `trhg`, as the number of lower-level steps T grows. Each run is
# `./boml hyperclean --json` in a JVM of its own, so each peak is that configuration's.
#
#   bench/hyperclean-horizon.sh [--horizons 10,25,50,100] [--iterations N] [--truncation K]
#                               [--threads N] [--json]
#
#   --horizons     lower-level steps T to sweep (default 10,25,50,100)
#   --iterations   outer iterations per run (default 5; time per iteration = their mean)
#   --truncation   K of trhg (default 10)
#   --threads      libtorch intra-op threads (default 1)
#   --json         print the rows as JSON lines instead of a table
#
# Needs Debian's dataset-fashion-mnist (or FMNIST_DIR). Columns: s/iteration, the peak resident
# memory of the process, the part of it above the memory before the first outer iteration
# (JVM, libtorch and data), and for replay and trhg both as a ratio to the stored graph's.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
horizons="10,25,50,100" iterations=5 truncation=10 threads=1 json=false
while [ $# -gt 0 ]; do
  case "$1" in
    --horizons) horizons="$2"; shift 2 ;;
    --iterations) iterations="$2"; shift 2 ;;
    --truncation) truncation="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --json) json=true; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "hyperclean-horizon.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
data="${FMNIST_DIR:-/usr/share/datasets/fashion-mnist}"
[ -d "$data" ] || { echo "hyperclean-horizon.sh: no Fashion-MNIST in $data: apt-get install dataset-fashion-mnist, or set FMNIST_DIR" >&2; exit 1; }

# One run: prints "seconds-per-iteration peak-MiB above-MiB".
measure() { # T method options...
  local steps="$1" method="$2"
  shift 2
  JAVA_OPTS="${JAVA_OPTS:-} -Dai.djl.pytorch.num_threads=$threads -Dai.djl.pytorch.num_interop_threads=1" \
    "$root/boml" hyperclean --data-dir "$data" --steps "$steps" --iterations "$iterations" \
    --method "$method" "$@" --log-every 0 --json \
    | awk -v n="$iterations" '
        /"seconds"/ { gsub(/[",]/, ""); s = $2 }
        /"residentBeforeMiB"/ { gsub(/[",]/, ""); b = $2 }
        /"peakResidentMiB"/ { gsub(/[",]/, ""); p = $2 }
        END { printf "%.4f %.1f %.1f\n", s / n, p, p - b }'
}

IFS=',' read -r -a steps_list <<< "$horizons"
[ "$json" = true ] || printf '%-22s %5s %12s %10s %10s %14s\n' configuration T s/iteration "peak MiB" "above MiB" "above/graph"
for steps in "${steps_list[@]}"; do
  graph_above=""
  for config in rhg-graph rhg-replay trhg; do
    case "$config" in
      rhg-graph) read -r sec peak above < <(measure "$steps" rhg -O strategy=graph) ;;
      rhg-replay) read -r sec peak above < <(measure "$steps" rhg -O strategy=replay) ;;
      trhg) read -r sec peak above < <(measure "$steps" trhg -O truncation="$truncation") ;;
    esac
    [ "$config" = rhg-graph ] && graph_above="$above"
    ratio="$(awk -v a="$above" -v g="$graph_above" 'BEGIN { printf "%.2f", a / g }')"
    if [ "$json" = true ]; then
      printf '{"configuration":"%s","steps":%s,"secondsPerIteration":%s,"peakMiB":%s,"aboveMiB":%s,"aboveRatioToGraph":%s}\n' \
        "$config" "$steps" "$sec" "$peak" "$above" "$ratio"
    else
      printf '%-22s %5s %12s %10s %10s %14s\n' "$config" "$steps" "$sec" "$peak" "$above" "$ratio"
    fi
  done
done
