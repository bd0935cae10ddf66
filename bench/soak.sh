#!/usr/bin/env bash
# Soak test: long training runs through ./boml while the resident memory (VmRSS of the JVM, from
# /proc/PID/status) is sampled into a CSV. After warm-up, memory may grow by at most 5%.
#
#   bench/soak.sh [--sinusoid N] [--omniglot N] [--interval SECONDS] [--max-growth PERCENT]
#
#   --sinusoid N     meta-iterations of first-order MAML on sinusoid (default 20000; 0 skips it)
#   --omniglot N     meta-iterations of second-order MAML on Omniglot 5-way 1-shot, 5 inner steps
#                    (default 2000; 0 skips it); data from ../shared/data/omniglot or $OMNIGLOT
#   --interval S     seconds between samples (default 5)
#   --max-growth P   allowed growth after warm-up, in percent (default 5)
#
# Each part writes $OUT/<part>/rss.csv (seconds, iteration, rss_kib) and the run directory
# $OUT/<part>/run; OUT defaults to /tmp/boml-soak. Warm-up is the first 10% of the iterations.
# "RSS at warm-up" is the largest sample between 10% and 20% of the iterations, "RSS at the end"
# the largest sample of the last 10% of training (the final evaluation is not counted). The Java
# heap is fixed and touched up front (-Xms = -Xmx, -XX:+AlwaysPreTouch), so that what grows is
# native memory (tensors, libtorch), where a leak would show, not the heap filling its reserve.
# Pin the whole script, e.g. `taskset -c 0 nice -n 5 bench/soak.sh`; the runs use one worker and
# one compute thread. Exit status 1 if a part grows by more than the limit or fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sinusoid=20000
omniglot=2000
interval=5
max_growth=5
while [ $# -gt 0 ]; do
  case "$1" in
    --sinusoid) sinusoid="$2"; shift 2 ;;
    --omniglot) omniglot="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    --max-growth) max_growth="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
out="${OUT:-${TMPDIR:-/tmp}/boml-soak}"
data="${OMNIGLOT:-$root/../shared/data/omniglot}"

# The iteration the run has reached, from its metrics log (flushed at every checkpoint).
iteration_of() { # run-dir
  local line
  line="$(tail -n 1 "$1/metrics.jsonl" 2>/dev/null || true)"
  line="${line#*\"iteration\":}"
  line="${line%%,*}"
  [[ "$line" =~ ^[0-9]+$ ]] && echo "$line" || echo 0
}

# Runs one part: samples the JVM's RSS until it exits, then judges the growth.
soak() { # name heap-size iterations -- boml train arguments...
  local name="$1" heap="$2" iterations="$3"
  shift 4
  local dir="$out/$name"
  rm -rf "$dir"
  mkdir -p "$dir"
  local every=$(( iterations / 100 > 0 ? iterations / 100 : 1 ))
  echo "== $name: $iterations iterations (samples every ${interval}s in $dir/rss.csv)" >&2
  local start
  start=$(date +%s)
  BOML_HEAP="$heap" JAVA_OPTS="-Xms$heap -XX:+AlwaysPreTouch -Dai.djl.pytorch.num_threads=1" \
    "$root/boml" train "$@" --iterations "$iterations" --workers 1 --checkpoint-every "$every" \
    --eval-episodes 20 --seed 0 --out "$dir/run" --json > "$dir/result.json" 2> "$dir/train.log" &
  local pid=$!
  echo "seconds,iteration,rss_kib" > "$dir/rss.csv"
  local rss
  while kill -0 "$pid" 2> /dev/null; do
    rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2> /dev/null || true)"
    if [ -n "$rss" ]; then
      echo "$(( $(date +%s) - start )),$(iteration_of "$dir/run"),$rss" >> "$dir/rss.csv"
    fi
    sleep "$interval"
  done
  local status=0
  wait "$pid" || status=$?
  local seconds=$(( $(date +%s) - start ))
  if [ "$status" -ne 0 ]; then
    echo "$name: training failed with status $status; see $dir/train.log" >&2
    tail -n 5 "$dir/train.log" >&2
    return 1
  fi
  awk -F, -v n="$iterations" -v limit="$max_growth" -v name="$name" -v seconds="$seconds" '
    NR == 1 { next }
    $2 >= 0.1 * n && $2 < 0.2 * n && $3 > warm { warm = $3 }
    $2 >= 0.9 * n && $2 < n && $3 > end { end = $3 }
    $3 > peak { peak = $3 }
    END {
      if (warm == 0 || end == 0) {
        printf "%s: too few samples to judge (warm-up %d KiB, end %d KiB); use a smaller --interval or more iterations\n", name, warm, end
        exit 1
      }
      growth = 100 * (end - warm) / warm
      printf "%s: %d iterations in %d s; RSS at warm-up %.1f MiB, at the end %.1f MiB, peak %.1f MiB, growth %+.2f%% (limit %s%%)\n", name, n, seconds, warm / 1024, end / 1024, peak / 1024, growth, limit
      exit growth > limit ? 1 : 0
    }' "$dir/rss.csv"
}

failed=0
if [ "$sinusoid" -gt 0 ]; then
  soak sinusoid 512m "$sinusoid" -- --dataset sinusoid --method fomaml || failed=1
fi
if [ "$omniglot" -gt 0 ]; then
  soak omniglot 1g "$omniglot" -- --dataset omniglot --data-dir "$data" --method maml \
    --ways 5 --shots 1 --queries 15 --inner-steps 5 --inner-lr 0.4 --meta-batch 4 \
    --meta-lr 0.001 || failed=1
fi
exit "$failed"
