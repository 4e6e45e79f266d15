#!/bin/sh
# gpu_check.sh — everything a session WITH a GPU runs against targets/cuda-device, in one go,
# inside about 8 minutes (431 s on an H200, 2026-12-04, build included). From the repository root:
#
#   sh targets/cuda-device/gpu_check.sh OUTDIR            build, then run the checks
#   sh targets/cuda-device/gpu_check.sh --prepare [DIR]   (on a machine WITH MPFR, no GPU needed)
#       build mxconform and put it with its libmpfr/libgmp into DIR (default build-gpu-prep),
#       for a GPU machine that lacks the MPFR headers: carry DIR there, the run finds it
#       (GPU_CHECK_PREP=DIR when it is not build-gpu-prep).
#
# Steps (each logged to OUTDIR/gpu_check.log with its time):
#   1. build: mxconform (CMake; or the carried build-gpu-prep/bin/mxconform when the configure
#      fails, e.g. no mpfr.h), the cuda-device target and cuda_device_query (nvcc, sm_89 +
#      sm_90), the cuda-host target (for the host/device comparison);
#   2. device: cuda_device_query and nvidia-smi -> OUTDIR/device.txt (no usable GPU: exit 3);
#   3. the standard tier under `ocp` with profile detection, against cuda-device and cuda-host
#      -> OUTDIR/{cuda-device,cuda-host}.standard.{json,txt}; host_vs_device.md lists every
#      case where the GPU answers differently from the host headers;
#   4. `mxconform probe dot` on the tensor cores: E4M3 x E4M3, E5M2 x E5M2, E4M3 x E5M2 (10^5
#      confirmations each) -> OUTDIR/probe.<pair>.{txt,json};
#   4b. mxc_mma_raw (mma_raw.cu): the FP8 mma.sync alone, 4 pairs x 5 classes x 4096 records of
#      128 dot products -> OUTDIR/mma/mma_out.<pair>.bin, and mma_fit.py's model rates over the
#      first 32 records of each class -> OUTDIR/mma_fit.txt;
#   5. `mxconform sweep` under cuda-host's detected profile: every bf16 and f16 input of every
#      supported conversion, then all 2^32 f32 inputs of the FP8 conversions (rne sat/ovf) and
#      of FP6/FP4/E8M0, each in shards over the cores, while the time budget lasts
#      (GPU_CHECK_BUDGET seconds from the start, default 450; what is cut is recorded as timed
#      out) -> OUTDIR/sweeps.tsv and OUTDIR/sweeps/*.txt;
#   6. OUTDIR/summary.md: one page with the above.
# Exit 0 when every step ran (findings are data, not failures), 3 without a usable GPU, 2 when
# the build failed.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2
ncpu=$(nproc 2>/dev/null || echo 4)
CUDA_BIN=$(dirname "$(command -v nvcc 2>/dev/null || echo /usr/local/cuda/bin/nvcc)")
NVCC=$CUDA_BIN/nvcc
CUDA_INC=$(cd "$CUDA_BIN/../include" 2>/dev/null && pwd || echo /usr/local/cuda/include)

# ---- --prepare: a relocatable mxconform for a GPU machine without MPFR headers --------------
if [ "${1:-}" = "--prepare" ]; then
  prep=${2:-build-gpu-prep}
  cmake -S . -B "$prep/cmake" -DCMAKE_BUILD_TYPE=Release -DMXC_CUDA_DEVICE=OFF >/dev/null || exit 2
  cmake --build "$prep/cmake" -j"$ncpu" --target mxconform >/dev/null || exit 2
  mkdir -p "$prep/bin" "$prep/lib"
  cp "$prep/cmake/mxconform" "$prep/bin/" || exit 2
  for l in libmpfr.so libgmp.so; do
    p=$(ldd "$prep/bin/mxconform" | awk -v l="$l" 'index($1, l) == 1 {print $3}')
    [ -n "$p" ] && cp -L "$p" "$prep/lib/"
  done
  rm -rf "$prep/cmake"
  echo "prepared $prep (bin/mxconform, lib/: $(ls "$prep/lib" | tr '\n' ' ')); carry it: run(carry=[\"$prep\"])"
  exit 0
fi

out=${1:?usage: gpu_check.sh OUTDIR | --prepare [DIR]}
mkdir -p "$out/sweeps" || exit 2
out=$(cd "$out" && pwd)
budget=${GPU_CHECK_BUDGET:-450}
t0=$(date +%s)
elapsed() { echo $(($(date +%s) - t0)); }
log() { echo "[$(elapsed)s] $*" | tee -a "$out/gpu_check.log"; }
# a step's time limit: at most $1 seconds and no more than the budget has left (10 s at least)
tl() {
  r=$((budget - $(elapsed)))
  [ $r -lt 10 ] && r=10
  [ $r -gt "$1" ] && r=$1
  echo "$r"
}
: >"$out/gpu_check.log"

# ---- 1. build ---------------------------------------------------------------------------------
B=${GPU_CHECK_BUILD:-build-gpu}
mkdir -p "$B"
log "build in $B ($ncpu cores, nvcc $NVCC)"
MXC=
LIBDEV=
LIBHOST=
QUERY=
RAW=
if cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_COMPILER="$NVCC" >"$out/build.log" 2>&1 &&
   cmake --build "$B" -j"$ncpu" --target mxconform mxtarget_cuda_device mxc_cuda_device_query mxc_mma_raw >>"$out/build.log" 2>&1; then
  MXC=$B/mxconform
  LIBDEV=$B/targets/cuda-device/libmxtarget_cuda_device.so
  QUERY=$B/targets/cuda-device/mxc_cuda_device_query
  RAW=$B/targets/cuda-device/mxc_mma_raw
  cmake --build "$B" -j"$ncpu" --target mxtarget_cuda_host >>"$out/build.log" 2>&1 && LIBHOST=$B/targets/cuda-host/libmxtarget_cuda_host.so
else
  prep=${GPU_CHECK_PREP:-build-gpu-prep}
  log "CMake build failed (see build.log; no mpfr.h?): trying the carried $prep and plain nvcc"
  if [ -x "$prep/bin/mxconform" ]; then
    MXC=$here/$prep/bin/mxconform
    LD_LIBRARY_PATH=$here/$prep/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    export LD_LIBRARY_PATH
  fi
  v=$("$NVCC" --version | sed -n 's/.*release \([0-9]*\.[0-9]*\).*/\1/p')
  arch="-gencode arch=compute_89,code=sm_89 -gencode arch=compute_90,code=[compute_90,sm_90]"
  # shellcheck disable=SC2086
  "$NVCC" -std=c++17 -O3 -DNDEBUG $arch -shared -Xcompiler=-fPIC,-fvisibility=hidden -Xlinker --exclude-libs,ALL \
    -I include -DMXC_CUDA_VERSION_TEXT="\"$v\"" targets/cuda-device/cuda_device_target.cu -o "$B/libmxtarget_cuda_device.so" \
    >>"$out/build.log" 2>&1 && LIBDEV=$B/libmxtarget_cuda_device.so
  # shellcheck disable=SC2086
  "$NVCC" -O2 $arch targets/cuda-device/cuda_device_query.cu -o "$B/mxc_cuda_device_query" >>"$out/build.log" 2>&1 &&
    QUERY=$B/mxc_cuda_device_query
  # shellcheck disable=SC2086
  "$NVCC" -O2 $arch targets/cuda-device/mma_raw.cu -o "$B/mxc_mma_raw" >>"$out/build.log" 2>&1 && RAW=$B/mxc_mma_raw
  cc -std=c11 -O2 -DNDEBUG -shared -fPIC -I include -isystem "$CUDA_INC" targets/cuda-host/cuda_host_target.c \
    -o "$B/libmxtarget_cuda_host.so" -lm >>"$out/build.log" 2>&1 && LIBHOST=$B/libmxtarget_cuda_host.so
fi
if [ -z "$MXC" ] || [ -z "$LIBDEV" ] || [ -z "$QUERY" ] || ! "$MXC" formats >/dev/null 2>&1; then
  log "BUILD FAILED (mxconform: ${MXC:-none}, target: ${LIBDEV:-none}); tail of build.log:"
  tail -20 "$out/build.log" | tee -a "$out/gpu_check.log"
  exit 2
fi
case $LIBDEV in /*) ;; *) LIBDEV=$here/$LIBDEV ;; esac
case $LIBHOST in /* | "") ;; *) LIBHOST=$here/$LIBHOST ;; esac
log "built: $MXC, $LIBDEV${LIBHOST:+, $LIBHOST}"

# ---- 2. the device ------------------------------------------------------------------------------
{
  "$QUERY"
  echo "query exit $?"
  nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total,clocks.max.sm --format=csv 2>&1
  "$NVCC" --version | tail -2
} >"$out/device.txt" 2>&1
cat "$out/device.txt" >>"$out/gpu_check.log"
if ! "$QUERY" >/dev/null 2>&1; then
  log "no usable CUDA device: $(head -1 "$out/device.txt")"
  exit 3
fi
log "device: $(head -1 "$out/device.txt")"

# ---- 3. the standard tier, device and host ------------------------------------------------------
for t in cuda-device cuda-host; do
  lib=$LIBDEV
  [ $t = cuda-host ] && lib=$LIBHOST
  [ -n "$lib" ] || continue
  timeout "$(tl 180)" "$MXC" run --target "lib:$lib" --profile ocp --tier standard --vectors vectors/standard \
    --max-failures 100000 -o "$out/$t.standard.json" >"$out/$t.standard.txt" 2>&1
  log "standard tier, $t: exit $? — $(grep -E '^  (suites|profile)' "$out/$t.standard.txt" | tr -s ' ' | tr '\n' ' ')"
done

# ---- 4. probe dot on the tensor cores -----------------------------------------------------------
for pair in mxfp8_e4m3 mxfp8_e5m2 mxfp8_e4m3,mxfp8_e5m2; do
  name=$(echo "$pair" | tr ',' '-')
  timeout "$(tl 120)" "$MXC" probe dot --target "lib:$LIBDEV" --fmt "$pair" --confirm 100000 -o "$out/probe.$name.json" \
    >"$out/probe.$name.txt" 2>&1
  log "probe dot $pair: exit $? — $(grep -E '^(model|nearest|confirm):' "$out/probe.$name.txt" | tr -s ' ' | tr '\n' ' ')"
done

# ---- 4b. the raw FP8 mma: 4 pairs x 5 classes x 4096 records of 128 dot products (seconds),
# and how well the candidate models reproduce them (README.md, "Raw mma data") -----------------
if [ -n "$RAW" ] && mkdir -p "$out/mma" && timeout "$(tl 60)" "$RAW" "$out/mma" >"$out/mma/run.txt" 2>&1 &&
   timeout "$(tl 60)" "$RAW" --inputs "$out/mma" >>"$out/mma/run.txt" 2>&1; then
  timeout "$(tl 120)" python3 targets/cuda-device/mma_fit.py "$out/mma" "$out/mma" --records 32 >"$out/mma_fit.txt" 2>&1
  log "raw mma: exit $?, $(grep -c . "$out/mma_fit.txt") rates in mma_fit.txt; window25-rtz on class few: $(awk '$1 == "window25-rtz" && $3 == "few" {printf "%s %s  ", $2, $5}' "$out/mma_fit.txt")"
  rm -f "$out"/mma/mma_in.*.bin # regenerated anywhere by mxc_mma_inputs; the answers stay
else
  log "raw mma: not run (${RAW:-not built}); see $out/mma/run.txt"
fi

# ---- 5. sweeps ----------------------------------------------------------------------------------
# one line per sweep: src dst round overflow
plan=$out/sweeps/plan.txt
: >"$plan"
for src in bf16 f16; do
  for c in "e4m3 rne sat" "e4m3 rne ovf" "e5m2 rne sat" "e5m2 rne ovf" "e2m3 rne sat" "e2m3 rtz sat" "e3m2 rne sat" \
           "e3m2 rtz sat" "e2m1 rne sat" "e2m1 rtz sat" "e8m0 rtz sat" "e8m0 rtz ovf" "e8m0 rup sat" "e8m0 rup ovf"; do
    echo "$src $c" >>"$plan"
  done
done
for c in "e4m3 rne sat" "e4m3 rne ovf" "e5m2 rne sat" "e5m2 rne ovf" "e2m3 rne sat" "e3m2 rne sat" "e2m1 rne sat" \
         "e8m0 rtz sat" "e8m0 rup sat" "e2m3 rtz sat" "e3m2 rtz sat" "e2m1 rtz sat" "e8m0 rtz ovf" "e8m0 rup ovf"; do
  echo "f32 $c" >>"$plan"
done
left=$((budget - $(elapsed)))
[ $left -lt 30 ] && left=30
jobs_at_once=$((ncpu - 1))
[ $jobs_at_once -lt 1 ] && jobs_at_once=1
log "sweeps: $(wc -l <"$plan") planned, $left s left of the budget, $jobs_at_once processes"
# Under cuda-host's detected profile, where the device is expected to give no mismatch: under
# ocp a sweep's millions of NaN mismatches come back 16 per request and it crawls (2-3e6
# values/s per process on the H200; 7e7/s without mismatches, 15 shards of one conversion).
# The 16-bit sweeps run side by side, then each f32 conversion as $jobs_at_once shards; a
# file gets a sweep's output and "exit N" per shard; what the budget cut is recorded as such.
PROF=reports/peers/cuda-host.profile
deadline=$(($(date +%s) + left))
export MXC LIBDEV PROF deadline
one=$out/sweeps/one.sh # one sweep (or shard): SRC DST ROUND OVERFLOW [SHARD] -> its output, "exit N"
cat >"$one" <<'SH'
rest=$((deadline - $(date +%s)))
if [ $rest -le 5 ]; then echo "not started: time budget spent"; exit 0; fi
timeout $rest "$MXC" sweep --op "cvt.$1.$2" --round "$3" --overflow "$4" --target "lib:$LIBDEV" --profile "$PROF" \
  ${5:+--shard "$5"} --show 16 --timeout 120 -q 2>&1
echo "exit $?"
SH
# shellcheck disable=SC2016
grep -v '^f32' "$plan" | xargs -P "$jobs_at_once" -L 1 sh -c 'sh "$0" "$@" >"${0%/*}/$1.$2.$3.$4.txt"' "$one"
grep '^f32' "$plan" | while read -r src dst rnd ovf; do
  f=$out/sweeps/$src.$dst.$rnd.$ovf
  i=0
  while [ $i -lt "$jobs_at_once" ]; do
    sh "$one" "$src" "$dst" "$rnd" "$ovf" "$i/$jobs_at_once" >"$f.$i.part" &
    i=$((i + 1))
  done
  wait
  cat "$f".*.part >"$f.txt"
  rm -f "$f".*.part
done
# ---- 6. sweeps.tsv, host vs device, summary.md (gpu_check_report.py OUTDIR renders them again) --
python3 targets/cuda-device/gpu_check_report.py "$out"
log "sweeps: $(awk -F'\t' 'NR > 1 {n[$5]++} END {for (s in n) printf "%s %d  ", s, n[s]}' "$out/sweeps.tsv")"

log "done: $out/summary.md"
exit 0
