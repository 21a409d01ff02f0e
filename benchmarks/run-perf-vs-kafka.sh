#!/usr/bin/env bash
# Runs Apache Kafka's own perf tools (kafka-producer-perf-test, kafka-consumer-perf-test, the
# end-to-end latency tool) against Brook and, in the same run on the same machine, against Apache
# Kafka 4.4.0 started from its Maven artifacts (single-node KRaft, broker + controller). The two
# brokers run one after the other, never together, each freshly started on its own empty data
# directory and stopped afterwards, with the same JVM options, topics and tool parameters.
# Everything goes under benchmarks/target/perf-vs-kafka/<timestamp>/ (also linked as .../latest).
# See benchmarks/README.md.
#
# Settings, all optional, from the environment:
#   SMOKE=1              short settings for a quick end-to-end check (not a measurement)
#   SKIP_BUILD=1         use the existing broker-service jar (the Kafka classpath is still resolved)
#   SYSTEMS="brook kafka"  which brokers to run, in this order
#   RECORDS              records per producer run (default 20000000; SMOKE 200000)
#   WARMUP_RECORDS       records of the unmeasured warm-up producer run (default RECORDS / 10)
#   LATENCY_RECORDS      round trips of the end-to-end latency tool (default 10000; SMOKE 2000)
#   RECORD_SIZE PARTITIONS BATCH_SIZE LINGER_MS COMPRESSION   workload (100, 6, 65536, 5, lz4)
#   BROKER_HEAP          heap of either broker, -Xms and -Xmx (default 2g)
#   TOOL_HEAP            heap of each tool JVM (default 512m, as kafka-producer-perf-test.sh)
#   TOOL_TIMEOUT         seconds after which a tool is killed and marked failed (default 900; SMOKE 300)
#   BENCH_DIR=dir        where the brokers' data dirs are created and removed (default
#                        benchmarks/target/bench-data, on the project's disk)
#   JAVA                 java binary (default: java on the PATH)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [[ "${SMOKE:-0}" == 1 ]]; then
    d_records=200000 d_latency=2000 d_timeout=300
else
    d_records=20000000 d_latency=10000 d_timeout=900
fi
RECORDS=${RECORDS:-$d_records}
WARMUP_RECORDS=${WARMUP_RECORDS:-$(( RECORDS / 10 ))}
LATENCY_RECORDS=${LATENCY_RECORDS:-$d_latency}
TOOL_TIMEOUT=${TOOL_TIMEOUT:-$d_timeout}
RECORD_SIZE=${RECORD_SIZE:-100}
PARTITIONS=${PARTITIONS:-6}
BATCH_SIZE=${BATCH_SIZE:-65536}
LINGER_MS=${LINGER_MS:-5}
COMPRESSION=${COMPRESSION:-lz4}
BROKER_HEAP=${BROKER_HEAP:-2g}
TOOL_HEAP=${TOOL_HEAP:-512m}
SYSTEMS=${SYSTEMS:-brook kafka}
BENCH_DIR=${BENCH_DIR:-$ROOT/benchmarks/target/bench-data}
JAVA=${JAVA:-java}
BROOK_JAR=$ROOT/broker-service/target/broker-service-0.1.0-SNAPSHOT-exec.jar
KAFKA_SIDE=$ROOT/benchmarks/kafka-side
KAFKA_VERSION=4.4.0

# The same JVM options for both brokers: kafka-server-start.sh's performance options
# (KAFKA_JVM_PERFORMANCE_OPTS) with the heap set explicitly.
BROKER_JVM_OPTS=(-Xms"$BROKER_HEAP" -Xmx"$BROKER_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true)

# ---- build and resolve -------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    echo "== Building the Brook broker jar"
    ./mvnw -B -q -pl broker-service -am package -DskipTests
fi
[[ -f "$BROOK_JAR" ]] || { echo "missing $BROOK_JAR; build without SKIP_BUILD=1" >&2; exit 1; }
echo "== Resolving Apache Kafka $KAFKA_VERSION (broker and tools) from Maven Central"
./mvnw -B -q -f "$KAFKA_SIDE/pom.xml" dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt
KAFKA_CP=$(cat "$KAFKA_SIDE/target/classpath.txt")
KAFKA_LOG4J=(-Dlog4j2.configurationFile="$KAFKA_SIDE/log4j2.properties")

mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
# One broker's data at a time: the three topics' records (the tools' values are random letters,
# which lz4 hardly compresses) with about 40 bytes of record and batch overhead each, plus 1 GiB.
avail_kb=$(df -Pk "$BENCH_DIR" | awk 'NR == 2 { print $4 }')
need_kb=$(( (2 * RECORDS + WARMUP_RECORDS) * (RECORD_SIZE + 40) / 1024 + 1024 * 1024 ))
if (( avail_kb < need_kb )); then
    echo "only $((avail_kb / 1024)) MiB free under $BENCH_DIR; need about $((need_kb / 1024)) MiB" >&2
    exit 1
fi
RESULTS_PARENT=$ROOT/benchmarks/target/perf-vs-kafka
RESULTS=$RESULTS_PARENT/$(date +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
ln -sfn "$(basename "$RESULTS")" "$RESULTS_PARENT/latest"

BROKER_PID=
DATA=
cleanup() {
    # Only what this script started and created: the running broker (by its pid) and its data dir.
    if [[ -n "$BROKER_PID" ]] && kill -0 "$BROKER_PID" 2>/dev/null; then
        kill -TERM "$BROKER_PID" 2>/dev/null || true
        sleep 5
        kill -KILL "$BROKER_PID" 2>/dev/null || true
    fi
    [[ -n "$DATA" ]] && rm -rf "$DATA"
    return 0
}
trap cleanup EXIT

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
    echo "load:        $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before the run"
    echo "brokers:     Brook $(basename "$BROOK_JAR"), Apache Kafka $KAFKA_VERSION (kafka_2.13, KRaft)," \
        "each with ${BROKER_JVM_OPTS[*]}"
    echo "workload:    ${RECORDS} records of ${RECORD_SIZE} B per producer run, ${PARTITIONS} partitions," \
        "compression.type=$COMPRESSION batch.size=$BATCH_SIZE linger.ms=$LINGER_MS, acks=1 and acks=all" \
        "(after a warm-up of $WARMUP_RECORDS records);" \
        "end-to-end latency ${LATENCY_RECORDS} round trips, acks=1; tools -Xmx$TOOL_HEAP${SMOKE:+; SMOKE=$SMOKE}"
} | tee "$RESULTS/machine.txt"

# ---- helpers -----------------------------------------------------------------------------------
USED_PORTS=" "
free_port() {
    # A port nothing listens on (bash's /dev/tcp connect fails), not handed out before in this run.
    local p
    while :; do
        p=$(( 20000 + RANDOM % 40000 ))
        [[ "$USED_PORTS" == *" $p "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            USED_PORTS+="$p "
            echo "$p"
            return
        fi
    done
}

# tool OUT_FILE MAIN_CLASS ARGS...: runs one Kafka tool with a timeout; its console output goes to
# OUT_FILE and to the terminal. Returns the tool's exit status (124 on timeout).
tool() {
    local out=$1 main=$2
    shift 2
    echo "\$ ${main##*.} $*" | tee "$out"
    local rc=0
    timeout --kill-after=10 "$TOOL_TIMEOUT" "$JAVA" -Xmx"$TOOL_HEAP" "${KAFKA_LOG4J[@]}" \
        -Dbrook.bench.log.level=warn -cp "$KAFKA_CP" "$main" "$@" 2>&1 | tee -a "$out" || rc=${PIPESTATUS[0]}
    echo "# exit status $rc" >>"$out"
    return "$rc"
}

wait_until() {
    # wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every half second.
    local secs=$1 what=$2
    shift 2
    local deadline=$(( SECONDS + secs ))
    until "$@" >/dev/null 2>&1; do
        if ! kill -0 "$BROKER_PID" 2>/dev/null; then
            echo "the broker exited while waiting for: $what" >&2
            return 1
        fi
        if (( SECONDS >= deadline )); then
            echo "timed out after ${secs}s waiting for: $what" >&2
            return 1
        fi
        sleep 0.5
    done
}

start_brook() {
    local port zk http
    port=$(free_port) zk=$(free_port) http=$(free_port)
    BOOTSTRAP=127.0.0.1:$port
    local args=("${BROKER_JVM_OPTS[@]}" -jar "$BROOK_JAR"
        --brook.broker.host=127.0.0.1 --brook.broker.advertised-host=127.0.0.1
        --brook.broker.port="$port" --brook.broker.data-dir="$DATA/broker"
        --brook.zookeeper.embedded-port="$zk" --brook.zookeeper.embedded-data-dir="$DATA/zookeeper"
        --server.port="$http" --brook.broker.group-initial-rebalance-delay=0)
    echo "\$ java ${args[*]}" | sed "s|$ROOT/||g; s|$DATA|<data-dir>|g" >"$OUT/command.txt"
    "$JAVA" "${args[@]}" >"$OUT/broker.log" 2>&1 &
    BROKER_PID=$!
    wait_until 120 "Brook readiness on http://127.0.0.1:$http/actuator/health/readiness" \
        curl -fsS "http://127.0.0.1:$http/actuator/health/readiness"
}

start_kafka() {
    local port controller
    port=$(free_port) controller=$(free_port)
    BOOTSTRAP=127.0.0.1:$port
    mkdir -p "$DATA/logs"
    # Single node, combined broker and controller; settings that differ from Kafka's defaults are
    # those of its config/server.properties for one node (replication factors of the internal
    # topics 1, no initial rebalance delay).
    cat >"$OUT/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA/logs
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
    local cluster_id
    cluster_id=$("$JAVA" "${KAFKA_LOG4J[@]}" -Dbrook.bench.log.level=warn -cp "$KAFKA_CP" \
        kafka.tools.StorageTool random-uuid | tail -1)
    {
        echo "\$ kafka-storage format -t $cluster_id -c server.properties --standalone"
        "$JAVA" "${KAFKA_LOG4J[@]}" -Dbrook.bench.log.level=warn -cp "$KAFKA_CP" \
            kafka.tools.StorageTool format -t "$cluster_id" -c "$OUT/server.properties" --standalone
    } >"$OUT/format.txt" 2>&1 || { cat "$OUT/format.txt" >&2; return 1; }
    echo "\$ java ${BROKER_JVM_OPTS[*]} -cp <kafka-side classpath> kafka.Kafka server.properties" \
        >"$OUT/command.txt"
    "$JAVA" "${BROKER_JVM_OPTS[@]}" "${KAFKA_LOG4J[@]}" -cp "$KAFKA_CP" kafka.Kafka "$OUT/server.properties" \
        >"$OUT/broker.log" 2>&1 &
    BROKER_PID=$!
    wait_until 120 "Kafka's 'Kafka Server started' log line" grep -q 'Kafka Server started' "$OUT/broker.log"
}

stop_broker() {
    kill -TERM "$BROKER_PID" 2>/dev/null || true
    local deadline=$(( SECONDS + 60 ))
    while kill -0 "$BROKER_PID" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.5; done
    if kill -0 "$BROKER_PID" 2>/dev/null; then
        echo "the broker did not stop within 60 s of SIGTERM; killing it" | tee -a "$OUT/failures.txt"
        kill -KILL "$BROKER_PID" 2>/dev/null || true
    fi
    wait "$BROKER_PID" 2>/dev/null || true
    BROKER_PID=
    rm -rf "$DATA"
    DATA=
}

# step NAME MAIN_CLASS ARGS...: one tool run of the workload; a failure is recorded, not fatal.
# CPU seconds (user + system) the broker process has used so far: the tools share the machine's
# cores with the broker, so what the broker takes per step is part of the comparison.
broker_cpu() {
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$BROKER_PID/stat" 2>/dev/null || echo 0
}

step() {
    local name=$1
    shift
    echo
    echo "-- $SYSTEM: $name"
    local before
    before=$(broker_cpu)
    if ! tool "$OUT/$name.txt" "$@"; then
        echo "$name: exit status $(tail -1 "$OUT/$name.txt" | awk '{ print $NF }')" | tee -a "$OUT/failures.txt"
    fi
    awk -v a="$before" -v b="$(broker_cpu)" 'BEGIN { printf "%.2f\n", b - a }' >"$OUT/$name.cpu"
}

run_system() {
    SYSTEM=$1
    OUT=$RESULTS/$SYSTEM
    mkdir -p "$OUT"
    DATA=$(mktemp -d "$BENCH_DIR/perf-$SYSTEM-XXXXXX")
    echo
    echo "== $SYSTEM (load $(cut -d' ' -f1-3 /proc/loadavg))"
    if ! "start_$SYSTEM"; then
        echo "start: failed; see broker.log" | tee -a "$OUT/failures.txt"
        tail -40 "$OUT/broker.log" >&2 || true
        stop_broker
        return
    fi
    echo "started $SYSTEM on $BOOTSTRAP (pid $BROKER_PID)"
    local topic
    for topic in perf-warmup perf-acks1 perf-acksall perf-e2e; do
        step "create-$topic" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" \
            --create --topic "$topic" --partitions "$PARTITIONS" --replication-factor 1
    done
    tool "$OUT/describe-topics.txt" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" \
        --describe >/dev/null || true
    # Warm-up, not measured: the same producer settings into a topic of its own, so that both
    # brokers' JITs have compiled their produce paths before the measured runs.
    step producer-warmup org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOTSTRAP" \
        --topic perf-warmup --num-records "$WARMUP_RECORDS" --record-size "$RECORD_SIZE" --throughput -1 \
        --command-property acks=1 compression.type="$COMPRESSION" batch.size="$BATCH_SIZE" linger.ms="$LINGER_MS"
    local acks
    for acks in 1 all; do
        step "producer-acks$acks" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOTSTRAP" \
            --topic "perf-acks$acks" --num-records "$RECORDS" --record-size "$RECORD_SIZE" --throughput -1 \
            --command-property acks="$acks" compression.type="$COMPRESSION" batch.size="$BATCH_SIZE" \
            linger.ms="$LINGER_MS" --print-metrics
    done
    for acks in 1 all; do
        step "consumer-acks$acks" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" \
            --topic "perf-acks$acks" --num-records "$RECORDS" --group "perf-consumer-acks$acks" \
            --timeout 60000 --print-metrics
    done
    step end-to-end-latency org.apache.kafka.tools.EndToEndLatency --bootstrap-server "$BOOTSTRAP" \
        --topic perf-e2e --num-records "$LATENCY_RECORDS" --producer-acks 1 --record-size "$RECORD_SIZE"
    stop_broker
    echo "stopped $SYSTEM"
}

for s in $SYSTEMS; do
    run_system "$s"
done

# ---- summary -----------------------------------------------------------------------------------
# Producer: "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency,
#            p50 ms 50th, p95 ms 95th, p99 ms 99th, p999 ms 99.9th."
producer_field() { # FILE FIELD(records/s | avg | p99)
    awk -v f="$2" '/records sent,/ && !/Warmup/ { line = $0 } END {
        if (line == "") { print "-"; exit }
        n = split(line, w, " ")
        if (f == "sent") print w[1]; else if (f == "rps") print w[4];
        else if (f == "avg") print w[8]; else if (f == "p99") print w[22]; }' "$1" 2>/dev/null || echo -
}
# Consumer CSV: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
#               rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
consumer_field() { # FILE COLUMN
    awk -F', *' -v c="$2" '$1 ~ /^[0-9][0-9][0-9][0-9]-/ && NF >= 10 { v = $c } END { print (v == "" ? "-" : v) }' \
        "$1" 2>/dev/null || echo -
}
latency_field() { # FILE 1..3 (p50, p99, p99.9) or avg
    awk -v c="$2" '/^Avg latency:/ { avg = $3 }
        /^Percentiles:/ { gsub(",", ""); p[1] = $4; p[2] = $7; p[3] = $10 }
        END { v = (c == "avg" ? avg : p[c]); print (v == "" ? "-" : v) }' "$1" 2>/dev/null || echo -
}
mbs() { awk -v r="$1" -v s="$RECORD_SIZE" 'BEGIN { if (r == "-") print "-"; else printf "%.1f", r * s / 1e6 }'; }
int() { awk -v r="$1" 'BEGIN { if (r == "-") print "-"; else printf "%.0f", r }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || a + 0 == 0 || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }

# A client-level metric printed by ConsumerPerformance --print-metrics ("group:name:{client-id=...} : value").
consumer_metric() { # FILE NAME
    awk -v n="$2" -F' : ' '$1 ~ ("consumer-fetch-manager-metrics:" n ":[{]client-id=[^,}]*[}]") { v = $2 }
        END { if (v == "") print "-"; else printf "%.2f", v }' "$1" 2>/dev/null || echo -
}

# A client-level metric printed by ProducerPerformance --print-metrics.
producer_metric() { # FILE NAME
    awk -v n="$2" -F' : ' '$1 ~ ("producer-metrics:" n ":[{]client-id=[^,}]*[}]") { v = $2 }
        END { if (v == "") print "-"; else printf "%.0f", v }' "$1" 2>/dev/null || echo -
}

declare -A V
for s in brook kafka; do
    d=$RESULTS/$s
    for acks in 1 all; do
        V[$s.prod$acks.rps]=$(int "$(producer_field "$d/producer-acks$acks.txt" rps)")
        V[$s.prod$acks.sent]=$(producer_field "$d/producer-acks$acks.txt" sent)
        V[$s.prod$acks.mbs]=$(mbs "${V[$s.prod$acks.rps]}")
        V[$s.prod$acks.avg]=$(producer_field "$d/producer-acks$acks.txt" avg)
        V[$s.prod$acks.p99]=$(producer_field "$d/producer-acks$acks.txt" p99)
        V[$s.cons$acks.n]=$(consumer_field "$d/consumer-acks$acks.txt" 5)
        V[$s.cons$acks.rps]=$(int "$(consumer_field "$d/consumer-acks$acks.txt" 6)")
        V[$s.cons$acks.mbs]=$(mbs "${V[$s.cons$acks.rps]}")
        V[$s.cons$acks.fetchrps]=$(int "$(consumer_field "$d/consumer-acks$acks.txt" 10)")
        V[$s.prod$acks.cpu]=$(cat "$d/producer-acks$acks.cpu" 2>/dev/null || echo -)
        V[$s.prod$acks.batch]=$(producer_metric "$d/producer-acks$acks.txt" batch-size-avg)
        V[$s.prod$acks.rpb]=$(producer_metric "$d/producer-acks$acks.txt" records-per-request-avg)
        V[$s.cons$acks.fetchsize]=$(consumer_metric "$d/consumer-acks$acks.txt" fetch-size-avg)
        V[$s.cons$acks.fetchlatency]=$(consumer_metric "$d/consumer-acks$acks.txt" fetch-latency-avg)
        V[$s.cons$acks.fetches]=$(consumer_metric "$d/consumer-acks$acks.txt" fetch-total)
        V[$s.cons$acks.cpu]=$(cat "$d/consumer-acks$acks.cpu" 2>/dev/null || echo -)
    done
    V[$s.e2e.avg]=$(awk -v r="$(latency_field "$d/end-to-end-latency.txt" avg)" \
        'BEGIN { if (r == "-") print "-"; else printf "%.2f", r }')
    for i in 1 2 3; do V[$s.e2e.p$i]=$(latency_field "$d/end-to-end-latency.txt" "$i"); done
done

{
    echo
    echo "== Summary: Brook vs Apache Kafka $KAFKA_VERSION (MB = 10^6 bytes of record values;" \
        "ratio = Brook / Kafka: above 1 is better for throughput, below 1 is better for latency)"
    fmt='%-44s %14s %14s %8s\n'
    printf "$fmt" measure Brook Kafka ratio
    row() { printf "$fmt" "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
    for acks in 1 all; do
        row "producer acks=$acks records/s" "${V[brook.prod$acks.rps]}" "${V[kafka.prod$acks.rps]}"
        row "producer acks=$acks MB/s" "${V[brook.prod$acks.mbs]}" "${V[kafka.prod$acks.mbs]}"
        row "producer acks=$acks avg latency ms" "${V[brook.prod$acks.avg]}" "${V[kafka.prod$acks.avg]}"
        row "producer acks=$acks p99 latency ms" "${V[brook.prod$acks.p99]}" "${V[kafka.prod$acks.p99]}"
        row "  broker CPU seconds during it" "${V[brook.prod$acks.cpu]}" "${V[kafka.prod$acks.cpu]}"
        row "  producer batch bytes (avg)" "${V[brook.prod$acks.batch]}" "${V[kafka.prod$acks.batch]}"
        row "  producer records per request (avg)" "${V[brook.prod$acks.rpb]}" "${V[kafka.prod$acks.rpb]}"
    done
    for acks in 1 all; do
        row "consumer (topic of acks=$acks) records/s" "${V[brook.cons$acks.rps]}" "${V[kafka.cons$acks.rps]}"
        row "consumer (topic of acks=$acks) MB/s" "${V[brook.cons$acks.mbs]}" "${V[kafka.cons$acks.mbs]}"
        row "  fetch-only records/s (no group join)" "${V[brook.cons$acks.fetchrps]}" "${V[kafka.cons$acks.fetchrps]}"
        row "  broker CPU seconds during it" "${V[brook.cons$acks.cpu]}" "${V[kafka.cons$acks.cpu]}"
        row "  fetches" "${V[brook.cons$acks.fetches]}" "${V[kafka.cons$acks.fetches]}"
        row "  bytes per fetch (avg)" "${V[brook.cons$acks.fetchsize]}" "${V[kafka.cons$acks.fetchsize]}"
        row "  fetch latency avg ms" "${V[brook.cons$acks.fetchlatency]}" "${V[kafka.cons$acks.fetchlatency]}"
    done
    row "end-to-end latency avg ms" "${V[brook.e2e.avg]}" "${V[kafka.e2e.avg]}"
    row "end-to-end latency p50 ms" "${V[brook.e2e.p1]}" "${V[kafka.e2e.p1]}"
    row "end-to-end latency p99 ms" "${V[brook.e2e.p2]}" "${V[kafka.e2e.p2]}"
    row "end-to-end latency p99.9 ms" "${V[brook.e2e.p3]}" "${V[kafka.e2e.p3]}"
    echo
    echo "Checks (records sent by the producer / consumed by the consumer; expected $RECORDS each):"
    for s in brook kafka; do
        [[ -d $RESULTS/$s ]] || continue
        line="  $s:"
        for acks in 1 all; do
            line+=" acks=$acks sent ${V[$s.prod$acks.sent]}, consumed ${V[$s.cons$acks.n]};"
            [[ "${V[$s.prod$acks.sent]}" == "$RECORDS" && "${V[$s.cons$acks.n]}" == "$RECORDS" ]] ||
                echo "count mismatch, acks=$acks: sent ${V[$s.prod$acks.sent]}, consumed ${V[$s.cons$acks.n]}" \
                    >>"$RESULTS/$s/failures.txt"
        done
        echo "$line"
        if [[ -s $RESULTS/$s/failures.txt ]]; then
            echo "  $s FAILURES (see $s/*.txt and $s/broker.log):"
            sed 's/^/    /' "$RESULTS/$s/failures.txt"
        fi
    done
    echo
    echo "Results: $RESULTS"
} | tee "$RESULTS/summary.txt"
