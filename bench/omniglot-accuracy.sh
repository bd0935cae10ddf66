#!/usr/bin/env bash
# Trains MAML (second order) and first-order MAML on real Omniglot 5-way 1-shot with BOML and with
# the PyTorch reference (../shared/bench/peer/maml_torch.py) side by side on this machine: for each
# order both run at once, each pinned to one core with one compute thread, with the reference
# workload's settings (split, preprocessing, Conv-4, inner lr 0.4, 5 steps, meta-batch 4, Adam
# 1e-3). Prints the meta-test accuracies over 600 held-out tasks.
#
#   bench/omniglot-accuracy.sh [ITERATIONS]      (default 1000; results in $OUT, default /tmp/boml-accuracy)
#
# Needs Debian's python3-torch, python3-numpy and python3-pil for the reference.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
iterations="${1:-1000}"
out="${OUT:-${TMPDIR:-/tmp}/boml-accuracy}"
peer="$root/../shared/bench/peer"
data="$root/../shared/data/omniglot"
mkdir -p "$out"

run_boml() { # name method
  "$root/boml" train --dataset omniglot --data-dir "$data" --dataset-option split=peer \
    --method "$2" --ways 5 --shots 1 --queries 15 --inner-steps 5 --inner-lr 0.4 \
    --meta-batch 4 --meta-lr 0.001 --iterations "$iterations" --seed 0 --eval-episodes 600 \
    --workers 1 --out "$out/boml-$1" --overwrite --json > "$out/boml-$1.json" 2> "$out/boml-$1.log"
}

run_peer() { # name [--first-order]
  (cd "$peer" && /usr/bin/python3 maml_torch.py --mode train --steps 5 --threads 1 \
    --train-iters "$iterations" --eval-tasks 600 --ckpt "$out/peer-$1.pt" "${@:2}") \
    > "$out/peer-$1.out" 2> "$out/peer-$1.log"
}

for order in second first; do
  method=maml; flag=()
  if [ "$order" = first ]; then method=fomaml; flag=(--first-order); fi
  echo "== $order order: PyTorch reference on core 0, BOML on core 1" >&2
  start=$(date +%s)
  JAVA_OPTS="-Dai.djl.pytorch.num_threads=1" taskset -c 1 bash -c "$(declare -f run_boml); root='$root' data='$data' \
    iterations='$iterations' out='$out' run_boml '$order' '$method'" &
  boml_pid=$!
  taskset -c 0 bash -c "$(declare -f run_peer); peer='$peer' iterations='$iterations' out='$out' \
    run_peer '$order' ${flag[*]:-}"
  wait "$boml_pid"
  echo "   $(( $(date +%s) - start )) s" >&2
done

echo "iterations: $iterations (results and logs in $out)"
for order in second first; do
  /usr/bin/python3 - "$out/boml-$order.json" "$out/peer-$order.out" "$order" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))["after"]
peer = json.load(open(sys.argv[2]))["eval_5way1shot_heldout"]
print("%s order: BOML %.2f%% +- %.2f, PyTorch %.2f%% +- %.2f (600 held-out tasks, 95%% CI)"
      % (sys.argv[3], 100 * ours["mean"], 100 * ours["ci95"], 100 * peer["acc"], 100 * peer["ci95"]))
PY
done
