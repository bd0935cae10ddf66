#!/usr/bin/env bash
# bench/compare.sh: BOML's benchmark and the PyTorch peer, alternately, on this machine.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: bench/compare.sh [--threads N] [--workers M] [--upper-passes S] [--rounds R]
                        [--iterations K] [--warmup W] [--configs LIST] [--out DIR] [--json]
                        [--help]

Runs `./boml bench` (ours) and the PyTorch reference peer
(../shared/bench/peer/maml_torch.py --mode bench) on the same workload, alternately,
in one run on this machine: for every round and every configuration, one process of
ours and one of the peer (A B in odd rounds, B A in even rounds, so neither side
always runs first). Every process runs one configuration (so its peak memory is the
configuration's) with W warm-up iterations and K timed ones; the timed iterations of
all rounds are pooled per side and configuration. Prints per configuration the median
seconds per meta-iteration of both sides, the ratio ours/peer of the medians (below 1:
ours is faster), the median of the per-round ratios, p10/p90, GFLOP/s (the peer's
analytic FLOP count), peak resident memory, the memory the iterations added (peak minus
the resident memory once the tasks were sampled, before the timed loop: the peer's
rss_before_mb), and the CPU used by other processes during
the peer's runs (the peer's contention probe; above ~0.05 the figures are disturbed),
the host's matrix-multiply ceiling (median over our processes: float32 2048x2048
products through libtorch on our M worker threads at once, each with N / M intra-op
threads, measured just before each timed loop)
and both sides' GFLOP/s as a percentage of it, and the host's CPU model.

Both sides get the same number of cores: the peer runs `--threads N` (torch intra-op
threads); ours runs `--threads N --workers M`, i.e. M task workers with N / M libtorch
intra-op threads each, and by default one task's query pass at a time on all N threads.

Options
  --threads N      cores for each side (default 2)
  --workers M      our task worker threads, each with N / M libtorch intra-op threads
                   (default N: one intra-op thread per worker; 1 runs the tasks one after
                   the other on N intra-op threads, as the peer does, in less memory)
  --upper-passes S one-at-a-time (default: one task's query pass at a time, on all
                   N threads, the other workers waiting) or concurrent (every worker
                   computes its own; faster, with one query batch in memory per worker):
                   `./boml bench --upper-passes`
  --rounds R       A/B rounds (default 2)
  --iterations K   timed meta-iterations per process (default 15; 2 rounds -> 30 per side,
                   the peer README's count)
  --warmup W       discarded warm-up iterations per process (default 3)
  --configs LIST   comma-separated, from so-T1 so-T5 so-T10 fo-T1 fo-T5 fo-T10
                   (so = second-order MAML, fo = first order; default: all six)
  --out DIR        raw JSON and logs (default ${TMPDIR:-/tmp}/boml-compare)
  --json           print the comparison as JSON instead of a table
  --report-only    run nothing; print the comparison of the results already in --out
                   (give the same --configs, --rounds and --warmup as the run)
  --help           this text

Environment
  OPENBLAS_LIB_DIR  folder with OpenBLAS's libblas.so.3 (Debian libopenblas0-pthread
                    unpacked with dpkg -x, .../openblas-pthread): the peer then runs in
                    the peer README's tuned setting (OpenBLAS, OPENBLAS_NUM_THREADS=1).
                    Unset: the peer runs with the BLAS python3-torch finds (on this
                    machine netlib's reference BLAS, which slows its double backward).
  PEER_PRELOAD      a library to preload into the peer's process, e.g. tcmalloc
                    (/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4), for a comparison
                    on the same native allocator as ours (./boml preloads tcmalloc where
                    installed, see BOML_ALLOCATOR in docs/cli.md). Unset: the peer as its
                    README sets it up, on glibc's malloc.
  JAVA_OPTS         passed to ./boml (our JVM).
  BOML_HEAP         our JVM heap limit (default here 1g; the arrays live in native
                    memory, so a large heap only adds resident memory).
  PEER_DIR          the peer's folder (default ../shared/bench/peer from the repository)
  OMNIGLOT_DIR      Omniglot for ours (default ../shared/data/omniglot from the repository)

Needs Debian's /usr/bin/python3 with python3-torch, python3-numpy, python3-pil (see the
peer README). The default run (6 configurations x 2 rounds) takes about 8-10 minutes
on an idle 2-core machine. Results go to docs/performance.md.
USAGE
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
threads=2 workers="" upper_passes=one-at-a-time rounds=2 iterations=15 warmup=3 json=false report_only=false
configs="so-T1,so-T5,so-T10,fo-T1,fo-T5,fo-T10"
out="${TMPDIR:-/tmp}/boml-compare"
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --upper-passes) upper_passes="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --iterations) iterations="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --configs) configs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --json) json=true; shift ;;
    --report-only) report_only=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
workers="${workers:-$threads}"
for n in "$threads" "$workers" "$rounds" "$iterations" "$warmup"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "compare.sh: '$n' is not a number" >&2; exit 2; }
done
peer="${PEER_DIR:-$root/../shared/bench/peer}"
data="${OMNIGLOT_DIR:-$root/../shared/data/omniglot}"
python=/usr/bin/python3
[ -f "$peer/maml_torch.py" ] || { echo "compare.sh: no peer at $peer (set PEER_DIR)" >&2; exit 1; }
"$python" -c 'import torch, numpy, PIL' 2>/dev/null \
  || { echo "compare.sh: $python lacks torch/numpy/PIL: apt-get install python3-torch python3-numpy python3-pil" >&2; exit 1; }
peer_env=()
blas="as installed ($("$python" -c 'import torch; print("torch", torch.__version__)'))"
if [ -n "${OPENBLAS_LIB_DIR:-}" ]; then
  [ -f "$OPENBLAS_LIB_DIR/libblas.so.3" ] \
    || { echo "compare.sh: OPENBLAS_LIB_DIR=$OPENBLAS_LIB_DIR holds no libblas.so.3" >&2; exit 1; }
  peer_env=(OPENBLAS_NUM_THREADS=1 "LD_LIBRARY_PATH=$OPENBLAS_LIB_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
  blas="OpenBLAS from $OPENBLAS_LIB_DIR, 1 BLAS thread"
fi
if [ -n "${PEER_PRELOAD:-}" ]; then
  [ -f "$PEER_PRELOAD" ] || { echo "compare.sh: PEER_PRELOAD=$PEER_PRELOAD is not a file" >&2; exit 1; }
  peer_env+=("LD_PRELOAD=$PEER_PRELOAD")
fi
export BOML_HEAP="${BOML_HEAP:-1g}" # our JVM heap cap; the arrays live in native memory
mkdir -p "$out"
if [ "$report_only" = false ]; then
rm -f "$out"/ours-*.json "$out"/peer-*.json
echo "${PEER_PRELOAD:-none (glibc malloc)}" > "$out/peer-preload.txt"
"$root/boml" --version >/dev/null # builds first if needed, outside the measurement
fi

run_ours() { # config round
  "$root/boml" bench --configs "$1" --iterations "$iterations" --warmup "$warmup" \
    --threads "$threads" --workers "$workers" --upper-passes "$upper_passes" --data-dir "$data" --json > "$out/ours-$1-r$2.json" 2> "$out/ours-$1-r$2.log"
}

run_peer() { # config round
  local steps="${1#*-T}" order=()
  [ "${1%%-*}" = fo ] && order=(--first-order)
  (cd "$peer" && env "${peer_env[@]}" "$python" maml_torch.py --mode bench --steps "$steps" \
    "${order[@]}" --threads "$threads" --iters "$iterations" --warmup "$warmup" \
    --json "$out/peer-$1-r$2.json") > /dev/null 2> "$out/peer-$1-r$2.log"
}

start=$(date +%s)
IFS=',' read -r -a config_list <<< "$configs"
for c in "${config_list[@]}"; do
  case "$c" in so-T[0-9]*|fo-T[0-9]*) ;; *) echo "compare.sh: unknown configuration '$c'" >&2; exit 2 ;; esac
done
for ((r = 1; r <= rounds; r++)); do
  [ "$report_only" = true ] && break
  for c in "${config_list[@]}"; do
    if ((r % 2 == 1)); then
      echo "round $r/$rounds $c: ours, then peer" >&2; run_ours "$c" "$r"; run_peer "$c" "$r"
    else
      echo "round $r/$rounds $c: peer, then ours" >&2; run_peer "$c" "$r"; run_ours "$c" "$r"
    fi
  done
done
echo "$(( $(date +%s) - start )) s; raw results in $out" >&2

"$python" - "$out" "$configs" "$rounds" "$threads" "$json" "$blas" "$warmup" <<'PY'
import json, math, os, statistics, sys

out, configs, rounds, threads, as_json, blas, warmup = sys.argv[1:8]
rounds, threads, warmup = int(rounds), int(threads), int(warmup)


def q(t, p):
    t = sorted(t)
    i = (len(t) - 1) * p
    lo, hi = int(math.floor(i)), int(math.ceil(i))
    return t[lo] + (t[hi] - t[lo]) * (i - lo)


def load(side, c, r):
    with open(os.path.join(out, f"{side}-{c}-r{r}.json")) as fh:
        doc = json.load(fh)
    return doc["results"][0] if side == "ours" else doc


rows = []
for c in configs.split(","):
    ours = [load("ours", c, r) for r in range(1, rounds + 1)]
    peer = [load("peer", c, r) for r in range(1, rounds + 1)]
    to = [t for o in ours for t in o["times_s"]]
    tp = [t for p in peer for t in p["times_s"]]
    mo, mp = q(to, 0.5), q(tp, 0.5)
    flops = peer[0]["analytic_flops"]
    # the host's matmul ceiling, measured by each of our processes just before its timed loop
    ceiling = statistics.median(o["matmul_ceiling_gflops_per_s"] for o in ours)
    rows.append({
        "config": c,
        "ours": {"median_s": mo, "p10_s": q(to, 0.1), "p90_s": q(to, 0.9), "n": len(to),
                 "gflops_per_s": flops / mo / 1e9,
                 "peak_rss_mb": max(o["peak_rss_mb"] for o in ours),
                 "added_rss_mb": max(o["peak_rss_mb"] - o["rss_before_mb"] for o in ours),
                 "cpu_s_per_iteration": statistics.median(o["cpu_s_per_iteration"] for o in ours)},
        "peer": {"median_s": mp, "p10_s": q(tp, 0.1), "p90_s": q(tp, 0.9), "n": len(tp),
                 "gflops_per_s": flops / mp / 1e9,
                 "peak_rss_mb": max(p["peak_rss_mb"] for p in peer),
                 "added_rss_mb": max(p["peak_rss_mb"] - p["rss_before_mb"] for p in peer),
                 "cpu_s_per_iteration": statistics.median(
                     p["contention"]["own_cpu_s"] / (len(p["times_s"]) + warmup) for p in peer),
                 "foreign_cpu_frac": max(p["contention"]["foreign_cpu_frac"] for p in peer)},
        "ratio": mo / mp,
        "round_ratios": [q(o["times_s"], 0.5) / q(p["times_s"], 0.5) for o, p in zip(ours, peer)],
        "analytic_flops": flops,
        "matmul_ceiling_gflops_per_s": ceiling,
        "ours_fraction_of_ceiling": flops / mo / 1e9 / ceiling,
        "peer_fraction_of_ceiling": flops / mp / 1e9 / ceiling,
    })
first = load("peer", configs.split(",")[0], 1)
threads = first["torch_num_threads"]  # what the measured runs used (also with --report-only)
lib = first.get("env", {}).get("LD_LIBRARY_PATH", "")
blas = (f"OpenBLAS ({lib}), OPENBLAS_NUM_THREADS={first['env'].get('OPENBLAS_NUM_THREADS')}"
        if "blas" in lib.lower() else "as installed")
with open(os.path.join(out, f"ours-{configs.split(',')[0]}-r1.json")) as fh:
    machine = json.load(fh)["machine"]
allocator = machine.get("native_allocator", "unknown")
convolutions = machine.get("convolutions", "not recorded")
with open(os.path.join(out, f"ours-{configs.split(',')[0]}-r1.json")) as fh:
    upper_passes = json.load(fh).get("upper_passes", "not recorded")
cpu = machine.get("cpu", "unknown")
preload_file = os.path.join(out, "peer-preload.txt")  # absent in runs of older versions
peer_preload = "not recorded"
if os.path.exists(preload_file):
    with open(preload_file) as fh:
        peer_preload = fh.read().strip()
doc = {"cpu": cpu, "threads": threads, "rounds": rounds, "peer_blas": blas, "peer_torch": first["torch"],
       "peer_preload": peer_preload, "ours_native_allocator": allocator,
       "ours_convolutions": convolutions, "ours_upper_passes": upper_passes, "configs": rows}
if as_json == "true":
    print(json.dumps(doc, indent=1))
    sys.exit(0)
print(f"{cpu}; {threads} threads per side, {rounds} A/B rounds; ours: upper passes {upper_passes}, "
      f"native allocator {allocator}, convolutions {convolutions}; peer: torch {doc['peer_torch']}, BLAS {blas}, "
      f"preload {peer_preload}")
print(f"{'config':8} {'ours s':>8} {'peer s':>8} {'ours/peer':>9} {'per round':>13} "
      f"{'ours p10-p90':>13} {'peer p10-p90':>13} {'GFLOP/s o/p':>12} {'peak MiB o/p':>13} "
      f"{'added MiB o/p':>13} "
      f"{'cpu s/it o/p':>13} {'foreign':>7} {'ceiling':>7} {'% ceil o/p':>10}")
for r in rows:
    o, p = r["ours"], r["peer"]
    rr = "/".join(f"{x:.2f}" for x in r["round_ratios"])
    print(f"{r['config']:8} {o['median_s']:8.3f} {p['median_s']:8.3f} {r['ratio']:9.2f} {rr:>13} "
          f"{o['p10_s']:6.3f}-{o['p90_s']:<6.3f} {p['p10_s']:6.3f}-{p['p90_s']:<6.3f} "
          f"{o['gflops_per_s']:5.1f}/{p['gflops_per_s']:<6.1f} {o['peak_rss_mb']:6.0f}/{p['peak_rss_mb']:<6.0f} "
          f"{o['added_rss_mb']:6.0f}/{p['added_rss_mb']:<6.0f} "
          f"{o['cpu_s_per_iteration']:6.3f}/{p['cpu_s_per_iteration']:<6.3f} {p['foreign_cpu_frac']:7.3f} "
          f"{r['matmul_ceiling_gflops_per_s']:7.1f} "
          f"{100 * r['ours_fraction_of_ceiling']:4.0f}/{100 * r['peer_fraction_of_ceiling']:<4.0f}")
PY
