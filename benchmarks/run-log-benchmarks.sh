#!/usr/bin/env bash
# Runs the storage-engine benchmarks (see benchmarks/README.md): builds the benchmark jar, measures
# the disk with dd, runs the JMH suite of io.brook.bench.log on the same disk, and writes every
# result under benchmarks/target/log-bench-results/<timestamp>/ (also linked as .../latest).
#
# Settings, all optional, from the environment:
#   SMOKE=1              short settings for a quick end-to-end check (not a measurement)
#   SKIP_BUILD=1         use the existing benchmarks/target/benchmarks.jar
#   BENCH_DIR=dir        where data is written (default benchmarks/target/bench-data, i.e. the
#                        project's disk); the dd file and the JMH logs go there and are removed
#   BENCHMARKS=regex     JMH benchmark filter (default: io.brook.bench.log.)
#   FORKS WARMUP_ITERATIONS WARMUP_TIME ITERATIONS ITERATION_TIME   JMH -f -wi -w -i -r
#   LOG_MB               size of the pre-filled log of the read benchmarks, MiB
#   DD_MB                size of the dd test file, MiB
#   JAVA                 java binary (default: java on the PATH)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [[ "${SMOKE:-0}" == 1 ]]; then
    d_forks=1 d_wi=1 d_w=1s d_i=2 d_r=2s d_log=256 d_dd=1024
else
    d_forks=1 d_wi=2 d_w=5s d_i=3 d_r=8s d_log=512 d_dd=1024
fi
FORKS=${FORKS:-$d_forks}
WARMUP_ITERATIONS=${WARMUP_ITERATIONS:-$d_wi}
WARMUP_TIME=${WARMUP_TIME:-$d_w}
ITERATIONS=${ITERATIONS:-$d_i}
ITERATION_TIME=${ITERATION_TIME:-$d_r}
LOG_MB=${LOG_MB:-$d_log}
DD_MB=${DD_MB:-$d_dd}
BENCH_DIR=${BENCH_DIR:-$ROOT/benchmarks/target/bench-data}
BENCHMARKS=${BENCHMARKS:-io.brook.bench.log.}
JAVA=${JAVA:-java}
JAR=$ROOT/benchmarks/target/benchmarks.jar

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "== Building the benchmark jar"
    ./mvnw -q -pl benchmarks -am package -DskipTests
fi
[[ -f "$JAR" ]] || { echo "missing $JAR; build without SKIP_BUILD=1" >&2; exit 1; }

mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
RESULTS_PARENT=$ROOT/benchmarks/target/log-bench-results
RESULTS=$RESULTS_PARENT/$(date +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
ln -sfn "$(basename "$RESULTS")" "$RESULTS_PARENT/latest"

cleanup() {
    # Only what this script and the benchmarks create: the dd file and leftover trial directories.
    rm -f "$BENCH_DIR/dd.test"
    rm -rf "$BENCH_DIR"/brook-append-* "$BENCH_DIR"/brook-raw-* "$BENCH_DIR"/brook-read-*
}
trap cleanup EXIT

avail_kb=$(df -Pk "$BENCH_DIR" | awk 'NR == 2 { print $4 }')
need_kb=$(( (DD_MB > 2048 ? DD_MB : 2048) * 1024 + LOG_MB * 1024 + 1024 * 1024 ))
if (( avail_kb < need_kb )); then
    echo "only $((avail_kb / 1024)) MiB free on the benchmark disk; need about $((need_kb / 1024)) MiB" >&2
    exit 1
fi

# ---- the machine -------------------------------------------------------------------------------
{
    echo "date:        $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu:         $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "memory:      $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "kernel:      $(uname -sr)"
    echo "java:        $("$JAVA" -version 2>&1 | head -1)"
    fs_source=$(df -P "$BENCH_DIR" | awk 'NR == 2 { print $1 }')
    echo "filesystem:  $(df -PTh "$BENCH_DIR" | awk 'NR == 2 { print $2 ", " $3 " total, " $5 " free" }')" \
        "on $fs_source, mount options $(findmnt -no OPTIONS -T "$BENCH_DIR" 2>/dev/null || echo unknown)"
    if [[ -b "$fs_source" ]] && command -v lsblk >/dev/null; then
        model=$(lsblk -dno MODEL "$fs_source" 2>/dev/null | xargs)
        echo "device:      model ${model:-not reported}, $(lsblk -dno SIZE "$fs_source" | xargs)," \
            "rotational=$(lsblk -dno ROTA "$fs_source" | xargs) (as the device reports it)"
    fi
    echo "dirty pages: vm.dirty_background_ratio=$(cat /proc/sys/vm/dirty_background_ratio)" \
        "vm.dirty_ratio=$(cat /proc/sys/vm/dirty_ratio)"
    echo "load:        $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before the run"
    echo "settings:    -f $FORKS -wi $WARMUP_ITERATIONS -w $WARMUP_TIME -i $ITERATIONS -r $ITERATION_TIME" \
        "-p logMb=$LOG_MB, dd ${DD_MB} MiB${SMOKE:+, SMOKE=$SMOKE}"
} | tee "$RESULTS/machine.txt"

# ---- dd baseline -------------------------------------------------------------------------------
# MB/s = 10^6 bytes per second, from dd's byte count and seconds.
dd_mbs() {
    local label=$1
    shift
    local out
    out=$(dd "$@" 2>&1)
    echo "$ dd $*" >>"$RESULTS/dd.txt"
    echo "$out" >>"$RESULTS/dd.txt"
    echo "$out" | awk -v label="$label" '/copied/ { printf "%s\t%.0f\n", label, $1 / $(NF - 3) / 1e6 }'
}
echo
echo "== dd baseline on the benchmark disk (${DD_MB} MiB, bs=1M)"
: >"$RESULTS/dd.txt"
{
    dd_mbs write-fdatasync if=/dev/zero of="$BENCH_DIR/dd.test" bs=1M count="$DD_MB" conv=fdatasync
    rm -f "$BENCH_DIR/dd.test"
    dd_mbs write-direct if=/dev/zero of="$BENCH_DIR/dd.test" bs=1M count="$DD_MB" oflag=direct conv=fdatasync
    dd_mbs read-direct if="$BENCH_DIR/dd.test" of=/dev/null bs=1M iflag=direct
    rm -f "$BENCH_DIR/dd.test"
} | tee "$RESULTS/dd.tsv"
DD_FDATASYNC=$(awk '$1 == "write-fdatasync" { print $2 }' "$RESULTS/dd.tsv")

# ---- JMH ---------------------------------------------------------------------------------------
echo
echo "== JMH: $BENCHMARKS"
"$JAVA" -Dbrook.bench.dir="$BENCH_DIR" -jar "$JAR" "$BENCHMARKS" \
    -f "$FORKS" -wi "$WARMUP_ITERATIONS" -w "$WARMUP_TIME" -i "$ITERATIONS" -r "$ITERATION_TIME" \
    -p logMb="$LOG_MB" -rf json -rff "$RESULTS/jmh.json" 2>&1 | tee "$RESULTS/jmh.txt"

# ---- summary -----------------------------------------------------------------------------------
if ! command -v jq >/dev/null; then
    echo "jq not found: no summary; the results are in $RESULTS/jmh.json and jmh.txt" >&2
    exit 0
fi
{
    echo
    echo "== Summary (MB = 10^6 bytes; dd write with fdatasync: $DD_FDATASYNC MB/s)"
    printf '%-40s %-30s %14s %-8s %10s\n' benchmark params score unit MB/s
    # Throughput modes report bytes/s in the 'bytes' counter; single-shot scans read logMb MiB.
    jq -r '.[] | [
        (.benchmark | sub("io\\.brook\\.bench\\.log\\."; "")),
        ((.params // {}) | to_entries | map("\(.key)=\(.value)") | join(",")),
        (.primaryMetric.score * 1000 | round / 1000),
        .primaryMetric.scoreUnit,
        (if .mode == "ss" then (.params.logMb | tonumber) * 1048576 / .primaryMetric.score / 1e6
         else (.secondaryMetrics.bytes.score // 0) / 1e6 end
         | if . < 10 then . * 100 | round / 100 else . * 10 | round / 10 end)
      ] | @tsv' "$RESULTS/jmh.json" |
        awk -F'\t' '{ printf "%-40s %-30s %14s %-8s %10s\n", $1, $2, $3, $4, $5 }'
    echo
    echo "PartitionLog append vs plain FileChannel write of the same bytes:"
    jq -r '
        [.[] | select(.benchmark | test("AppendBenchmark"))
             | {kind: (if (.benchmark | test("LogAppend")) then "log" else "raw" end),
                key: "\(.params.batch) fsync=\(.params.fsync)",
                mbs: (.secondaryMetrics.bytes.score / 1e6)}]
        | group_by(.key)[]
        | (map(select(.kind == "log"))[0].mbs) as $log
        | (map(select(.kind == "raw"))[0].mbs) as $raw
        | select($log != null and $raw != null)
        | "  \(.[0].key): log \($log * 100 | round / 100) MB/s, raw \($raw * 100 | round / 100) MB/s, log/raw \($log / $raw * 100 | round)%"
      ' "$RESULTS/jmh.json"
    aim=$(jq -r '.[] | select(.benchmark | endswith("LogAppendBenchmark.append"))
                     | select(.params.batch == "16KB" and .params.fsync == "none")
                     | .secondaryMetrics.bytes.score / 1e6' "$RESULTS/jmh.json")
    if [[ -n "$aim" && -n "$DD_FDATASYNC" ]]; then
        awk -v a="$aim" -v d="$DD_FDATASYNC" 'BEGIN {
            r = 100 * a / d
            printf "\nAim: 16 KB-batch append without fsync >= 70%% of dd fdatasync bandwidth\n"
            printf "  %.1f MB/s / %.0f MB/s = %.0f%% -> %s\n", a, d, r, (r >= 70 ? "met" : "NOT met")
        }'
    fi
    echo
    echo "Results: $RESULTS"
} | tee "$RESULTS/summary.txt"
