#!/usr/bin/env bash
# Runs Apache Kafka's own perf tools (kafka-producer-perf-test, kafka-consumer-perf-test, the
# end-to-end latency tool) against Brook and, in the same run on the same machine, against Apache
# Kafka 4.4.0 started from its Maven artifacts (KRaft). The two systems run one after the other,
# never together, each freshly started on empty data directories and stopped afterwards, with the
# same layout (one broker, or BROKERS=3 with replication), JVM options, topics and tool parameters.
# Everything goes under benchmarks/target/perf-vs-kafka/<timestamp>/ (also linked as .../latest).
# See benchmarks/README.md.
#
# Settings, all optional, from the environment:
#   SMOKE=1              short settings for a quick end-to-end check (not a measurement)
#   SKIP_BUILD=1         use the existing broker-service jar (the Kafka classpath is still resolved)
#   SYSTEMS="brook kafka"  which brokers to run, in this order
#   BROKERS              broker processes per system (default 1; 3 for the replicated layout)
#   REPLICATION          replication factor of the perf topics (default BROKERS); with more than one
#                        replica they get min.insync.replicas=MIN_INSYNC_REPLICAS (default
#                        REPLICATION - 1), and the internal topics replication factor min(3, BROKERS)
#   RECORDS              records per producer run (default 20000000; SMOKE 200000)
#   WARMUP_RECORDS       records of the unmeasured warm-up producer run (default RECORDS / 10)
#   LATENCY_RECORDS      round trips of the end-to-end latency tool (default 10000; SMOKE 2000)
#   RECORD_SIZE PARTITIONS BATCH_SIZE LINGER_MS COMPRESSION   workload (100, 6, 65536, 5, lz4)
#   FIXED_THROUGHPUT     records/s of the unmeasured producer of the fixed-input consumer's topic
#                        (default 200000): below what either system takes, so that its batches fill up
#   BROKER_HEAP          heap of each broker process, -Xms and -Xmx (default 2g; 1g with more than
#                        one broker, so that three of them and the tools fit a 2-core, 24 GiB machine)
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
FIXED_THROUGHPUT=${FIXED_THROUGHPUT:-200000}
BROKERS=${BROKERS:-1}
REPLICATION=${REPLICATION:-$BROKERS}
MIN_INSYNC_REPLICAS=${MIN_INSYNC_REPLICAS:-$(( REPLICATION > 1 ? REPLICATION - 1 : 1 ))}
INTERNAL_REPLICATION=$(( BROKERS < 3 ? BROKERS : 3 ))
if (( BROKERS > 1 )); then d_heap=1g; else d_heap=2g; fi
BROKER_HEAP=${BROKER_HEAP:-$d_heap}
TOOL_HEAP=${TOOL_HEAP:-512m}
SYSTEMS=${SYSTEMS:-brook kafka}
BENCH_DIR=${BENCH_DIR:-$ROOT/benchmarks/target/bench-data}
JAVA=${JAVA:-java}
BROOK_JAR=$ROOT/broker-service/target/broker-service-0.1.0-SNAPSHOT-exec.jar
KAFKA_SIDE=$ROOT/benchmarks/kafka-side
KAFKA_VERSION=4.4.0
(( BROKERS >= 1 && REPLICATION >= 1 && REPLICATION <= BROKERS && MIN_INSYNC_REPLICAS <= REPLICATION )) || {
    echo "need 1 <= REPLICATION ($REPLICATION) <= BROKERS ($BROKERS), MIN_INSYNC_REPLICAS <= REPLICATION" >&2
    exit 1
}

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
# One system's data at a time: the four topics' records (the tools' values are random letters,
# which lz4 hardly compresses) with about 40 bytes of record and batch overhead each, once per
# replica, plus 1 GiB.
avail_kb=$(df -Pk "$BENCH_DIR" | awk 'NR == 2 { print $4 }')
need_kb=$(( (3 * RECORDS + WARMUP_RECORDS) * (RECORD_SIZE + 40) / 1024 * REPLICATION + 1024 * 1024 ))
if (( avail_kb < need_kb )); then
    echo "only $((avail_kb / 1024)) MiB free under $BENCH_DIR; need about $((need_kb / 1024)) MiB" >&2
    exit 1
fi
RESULTS_PARENT=$ROOT/benchmarks/target/perf-vs-kafka
RESULTS=$RESULTS_PARENT/$(date +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
ln -sfn "$(basename "$RESULTS")" "$RESULTS_PARENT/latest"

BROKER_PIDS=()    # the running system's broker processes, broker 1 (ZooKeeper / controller host) first
DATA=
cleanup() {
    # Only what this script started and created: the running brokers (by their pids) and the data dir.
    local pid killed=0
    for pid in "${BROKER_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            killed=1
        fi
    done
    if (( killed )); then
        sleep 5
        for pid in "${BROKER_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
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
    if (( BROKERS == 1 )); then
        echo "layout:      1 broker per system, replication factor 1"
    else
        echo "layout:      $BROKERS brokers per system (Brook: ZooKeeper embedded in broker 1;" \
            "Kafka: broker 1 also the single KRaft controller), replication factor $REPLICATION," \
            "min.insync.replicas=$MIN_INSYNC_REPLICAS, internal topics replication factor $INTERNAL_REPLICATION"
    fi
    echo "workload:    ${RECORDS} records of ${RECORD_SIZE} B per producer run, ${PARTITIONS} partitions," \
        "compression.type=$COMPRESSION batch.size=$BATCH_SIZE linger.ms=$LINGER_MS, acks=1 and acks=all" \
        "(after a warm-up of $WARMUP_RECORDS records);" \
        "fixed-input consumer topic written at $FIXED_THROUGHPUT records/s with linger.ms=1000 batch.size=65536;" \
        "end-to-end latency ${LATENCY_RECORDS} round trips, acks=1; tools -Xmx$TOOL_HEAP${SMOKE:+; SMOKE=$SMOKE}"
} | tee "$RESULTS/machine.txt"

# ---- helpers -----------------------------------------------------------------------------------
# shellcheck source=free-port.sh
source "$ROOT/benchmarks/free-port.sh"

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
    # wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every half second, giving up when a
    # broker of the system exits.
    local secs=$1 what=$2
    shift 2
    local deadline=$(( SECONDS + secs )) pid
    until "$@" >/dev/null 2>&1; do
        for pid in "${BROKER_PIDS[@]}"; do
            if ! kill -0 "$pid" 2>/dev/null; then
                echo "a broker (pid $pid) exited while waiting for: $what" >&2
                return 1
            fi
        done
        if (( SECONDS >= deadline )); then
            echo "timed out after ${secs}s waiting for: $what" >&2
            return 1
        fi
        sleep 0.5
    done
}

# node_file NAME EXT ID: a per-broker file of the results: NAME.EXT with one broker (the names of
# the single-broker layout, unchanged), NAME-ID.EXT with several.
node_file() {
    if (( BROKERS == 1 )); then echo "$OUT/$1.$2"; else echo "$OUT/$1-$3.$2"; fi
}

# Brook: broker 1 runs the embedded ZooKeeper (brook.zookeeper.embedded-port, as in the single-broker
# layout; it listens on 127.0.0.1 for any client) and the others connect to it
# (brook.zookeeper.connect). So the cluster's coordination store lives in broker 1's JVM, as Kafka's
# single KRaft controller lives in its broker 1 below. Broker 1 is started first and must be ready
# before the others, which need its ZooKeeper.
start_brook() {
    local zk id port http readiness=()
    free_port zk
    BOOTSTRAP=
    : >"$OUT/command.txt"
    for (( id = 1; id <= BROKERS; id++ )); do
        free_port port
        free_port http
        BOOTSTRAP+=${BOOTSTRAP:+,}127.0.0.1:$port
        local args=("${BROKER_JVM_OPTS[@]}" -jar "$BROOK_JAR"
            --brook.broker.host=127.0.0.1 --brook.broker.advertised-host=127.0.0.1 --brook.broker.port="$port")
        if (( BROKERS == 1 )); then
            args+=(--brook.broker.data-dir="$DATA/broker")
        else
            args+=(--brook.broker.id="$id" --brook.broker.data-dir="$DATA/broker-$id"
                --brook.broker.offsets-topic-replication-factor="$INTERNAL_REPLICATION")
        fi
        if (( id == 1 )); then
            args+=(--brook.zookeeper.embedded-port="$zk" --brook.zookeeper.embedded-data-dir="$DATA/zookeeper")
        else
            args+=(--brook.zookeeper.connect="127.0.0.1:$zk")
        fi
        args+=(--server.port="$http" --brook.broker.group-initial-rebalance-delay=0)
        echo "\$ java ${args[*]}" | sed "s|$ROOT/||g; s|$DATA|<data-dir>|g" >>"$OUT/command.txt"
        "$JAVA" "${args[@]}" >"$(node_file broker log "$id")" 2>&1 &
        BROKER_PIDS+=("$!")
        readiness+=("http://127.0.0.1:$http/actuator/health/readiness")
        if (( id == 1 || id == BROKERS )); then
            local url
            for url in "${readiness[@]}"; do
                wait_until 120 "Brook readiness on $url" curl -fsS "$url" || return 1
            done
            readiness=()
        fi
    done
}

# Kafka, the same layout: node 1 is broker and the cluster's single KRaft controller
# (process.roles=broker,controller, formatted --standalone), nodes 2.. are brokers only
# (process.roles=broker) that find the controller through controller.quorum.bootstrap.servers.
# Chosen over three combined nodes with a three-voter quorum because that is what Brook has: one
# coordination store (ZooKeeper, not replicated) inside broker 1's JVM and two plain brokers; a
# three-voter quorum would make every Kafka process also replicate the metadata log, and a
# dedicated controller would add a fourth JVM that Brook does not have. Settings that differ from
# Kafka's defaults are those of its config/server.properties (internal topics' replication factor
# at most the brokers there are, no initial rebalance delay).
start_kafka() {
    local controller id port props cluster_id
    free_port controller
    BOOTSTRAP=
    : >"$OUT/command.txt"
    : >"$OUT/format.txt"
    cluster_id=$("$JAVA" "${KAFKA_LOG4J[@]}" -Dbrook.bench.log.level=warn -cp "$KAFKA_CP" \
        kafka.tools.StorageTool random-uuid | tail -1)
    local internal_min_isr=$(( INTERNAL_REPLICATION < 2 ? INTERNAL_REPLICATION : 2 ))
    for (( id = 1; id <= BROKERS; id++ )); do
        free_port port
        BOOTSTRAP+=${BOOTSTRAP:+,}127.0.0.1:$port
        props=$(node_file server properties "$id")
        local logs=$DATA/logs
        (( BROKERS == 1 )) || logs=$DATA/logs-$id
        mkdir -p "$logs"
        {
            if (( id == 1 )); then
                echo "process.roles=broker,controller"
            else
                echo "process.roles=broker"
            fi
            echo "node.id=$id"
            echo "controller.quorum.bootstrap.servers=127.0.0.1:$controller"
            if (( id == 1 )); then
                echo "listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller"
                # A controller setting since KRaft (brokers warn about it); topics here give their count.
                echo "num.partitions=1"
            else
                echo "listeners=PLAINTEXT://127.0.0.1:$port"
            fi
            cat <<PROPS
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$logs
offsets.topic.replication.factor=$INTERNAL_REPLICATION
transaction.state.log.replication.factor=$INTERNAL_REPLICATION
transaction.state.log.min.isr=$internal_min_isr
share.coordinator.state.topic.replication.factor=$INTERNAL_REPLICATION
share.coordinator.state.topic.min.isr=$internal_min_isr
group.initial.rebalance.delay.ms=0
PROPS
        } >"$props"
        local quorum=--standalone
        (( id == 1 )) || quorum=--no-initial-controllers
        {
            echo "\$ kafka-storage format -t $cluster_id -c $(basename "$props") $quorum"
            "$JAVA" "${KAFKA_LOG4J[@]}" -Dbrook.bench.log.level=warn -cp "$KAFKA_CP" \
                kafka.tools.StorageTool format -t "$cluster_id" -c "$props" "$quorum"
        } >>"$OUT/format.txt" 2>&1 || { cat "$OUT/format.txt" >&2; return 1; }
        echo "\$ java ${BROKER_JVM_OPTS[*]} -cp <kafka-side classpath> kafka.Kafka $(basename "$props")" \
            >>"$OUT/command.txt"
        local log
        log=$(node_file broker log "$id")
        "$JAVA" "${BROKER_JVM_OPTS[@]}" "${KAFKA_LOG4J[@]}" -cp "$KAFKA_CP" kafka.Kafka "$props" >"$log" 2>&1 &
        BROKER_PIDS+=("$!")
        if (( id == 1 || id == BROKERS )); then
            local i
            for (( i = (id == 1 ? 1 : 2); i <= id; i++ )); do
                wait_until 120 "Kafka's 'Kafka Server started' log line of broker $i" \
                    grep -q 'Kafka Server started' "$(node_file broker log "$i")" || return 1
            done
        fi
    done
}

# With several brokers: waits until a client's metadata lists all of them (BrokerApiVersionsCommand
# prints one "host:port (id: N ...)" line per broker in the Metadata response), so that topics of
# replication factor BROKERS can be created.
wait_for_cluster() {
    (( BROKERS > 1 )) || return 0
    all_brokers_listed() {
        local n
        n=$(timeout 60 "$JAVA" -Xmx"$TOOL_HEAP" "${KAFKA_LOG4J[@]}" -Dbrook.bench.log.level=warn -cp "$KAFKA_CP" \
            org.apache.kafka.tools.BrokerApiVersionsCommand --bootstrap-server "$BOOTSTRAP" 2>/dev/null |
            grep -c ' (id: ')
        (( n >= BROKERS ))
    }
    wait_until 120 "$BROKERS brokers in the cluster metadata" all_brokers_listed
}

# Stops the running system: brokers 2.. together first, then broker 1, which hosts Brook's ZooKeeper
# and Kafka's controller (the others need it to shut down cleanly). SIGTERM, SIGKILL after 60 s
# (reported).
stop_brokers() {
    local n=${#BROKER_PIDS[@]}
    if (( n > 1 )); then
        terminate "${BROKER_PIDS[@]:1}"
    fi
    (( n > 0 )) && terminate "${BROKER_PIDS[0]}"
    BROKER_PIDS=()
    rm -rf "$DATA"
    DATA=
}

terminate() { # PID...
    local pid
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    local deadline=$(( SECONDS + 60 ))
    for pid in "$@"; do
        while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then
            echo "a broker (pid $pid) did not stop within 60 s of SIGTERM; killing it" | tee -a "$OUT/failures.txt"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
}

# The fixed-input topic as the brokers stored it: for each partition of perf-fixed the replica with
# the most bytes (once followers have caught up all replicas are the same; where followers do not
# replicate only the leader has any), read with Kafka's DumpLogSegments, which prints one line per
# batch ("baseOffset: ... count: N ... size: S ..."; both systems write Kafka's segment format).
# Writes "batches B records R bytes S" to perf-fixed-on-disk.txt.
fixed_input_on_disk() {
    local p dir best best_bytes bytes files=()
    for (( p = 0; p < PARTITIONS; p++ )); do
        best= best_bytes=-1
        for dir in "$DATA"/*/perf-fixed-"$p"; do
            [[ -d $dir ]] || continue
            bytes=$(cat "$dir"/*.log 2>/dev/null | wc -c)
            if (( bytes > best_bytes )); then best=$dir best_bytes=$bytes; fi
        done
        [[ -n $best ]] && files+=("$best"/*.log)
    done
    (( ${#files[@]} > 0 )) || { echo "batches - records - bytes -" >"$OUT/perf-fixed-on-disk.txt"; return; }
    local IFS=,
    timeout 300 "$JAVA" -Xmx"$TOOL_HEAP" "${KAFKA_LOG4J[@]}" -Dbrook.bench.log.level=warn -cp "$KAFKA_CP" \
        org.apache.kafka.tools.DumpLogSegments --files "${files[*]}" 2>&1 |
        awk '/^baseOffset: / { for (i = 1; i < NF; i++) { if ($i == "count:") r += $(i + 1); if ($i == "size:") s += $(i + 1) }
                               b++ }
             END { printf "batches %d records %d bytes %d\n", b, r, s }' >"$OUT/perf-fixed-on-disk.txt" || true
}

# CPU seconds (user + system) each broker process has used so far, one figure per broker: the tools
# share the machine's cores with the brokers, so what the brokers take per step is part of the
# comparison.
broker_cpu() {
    local pid
    for pid in "${BROKER_PIDS[@]}"; do
        awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f ", ($14 + $15) / hz }' "/proc/$pid/stat" 2>/dev/null ||
            printf '0 '
    done
}

# step NAME MAIN_CLASS ARGS...: one tool run of the workload; a failure is recorded, not fatal.
# NAME.cpu gets the brokers' CPU seconds during it, summed; with several brokers NAME.cpu-brokers
# has them per broker (broker 1 first).
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
    local deltas
    deltas=$(awk -v a="$before" -v b="$(broker_cpu)" 'BEGIN {
        n = split(a, x, " "); split(b, y, " ")
        for (i = 1; i <= n; i++) printf "%s%.2f", (i > 1 ? " " : ""), y[i] - x[i]; print "" }')
    awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; printf "%.2f\n", s }' <<<"$deltas" >"$OUT/$name.cpu"
    (( BROKERS == 1 )) || echo "$deltas" >"$OUT/$name.cpu-brokers"
}

run_system() {
    SYSTEM=$1
    OUT=$RESULTS/$SYSTEM
    mkdir -p "$OUT"
    DATA=$(mktemp -d "$BENCH_DIR/perf-$SYSTEM-XXXXXX")
    echo
    echo "== $SYSTEM (load $(cut -d' ' -f1-3 /proc/loadavg))"
    if ! "start_$SYSTEM" || ! wait_for_cluster; then
        echo "start: failed; see broker*.log" | tee -a "$OUT/failures.txt"
        local log
        for log in "$OUT"/broker*.log; do
            [[ -f $log ]] && { echo "-- $log" >&2; tail -40 "$log" >&2; }
        done
        stop_brokers
        return
    fi
    echo "started $SYSTEM on $BOOTSTRAP (pids ${BROKER_PIDS[*]})"
    local topic config=()
    (( REPLICATION == 1 )) || config=(--config min.insync.replicas="$MIN_INSYNC_REPLICAS")
    for topic in perf-warmup perf-acks1 perf-acksall perf-fixed perf-e2e; do
        step "create-$topic" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" \
            --create --topic "$topic" --partitions "$PARTITIONS" --replication-factor "$REPLICATION" "${config[@]}"
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
    # The fixed-input consumer's topic, not measured. The measured producers' batches differ between
    # the systems (a broker that acknowledges sooner gets smaller batches, since the producer sends
    # what it has as soon as a request slot is free), and so does what the consumers above decompress.
    # Here every batch is held until it is full:
    # - linger.ms=1000 and batch.size=65536, so no batch leaves for its age (only each partition's
    #   last one does);
    # - a rate the system keeps up with (FIXED_THROUGHPUT): at full speed the producer's
    #   buffer.memory runs out, and then it sends every batch it has, full or not;
    # - RoundRobinPartitioner: record i goes to partition i mod PARTITIONS on both systems (the tool's
    #   values come from a generator with a fixed seed, so each partition gets the same records).
    #   The default partitioner sticks to a partition for a batch and then picks the next one
    #   weighted by the brokers' queue lengths (KIP-794's adaptive partitioning), and it sends the
    #   partial batches of a broker's other partitions along with a full one: the batches then
    #   depend on the broker's speed again (a few percent more or fewer in smoke runs).
    # Batches are "full" by the producer's estimate of their compressed size, which it corrects as
    # batches are sent, so they are not all the same size. The summary shows this step's
    # batch-size-avg, and the batches on disk, on both sides to prove the inputs match.
    step producer-fixed org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOTSTRAP" \
        --topic perf-fixed --num-records "$RECORDS" --record-size "$RECORD_SIZE" --throughput "$FIXED_THROUGHPUT" \
        --command-property acks=1 compression.type="$COMPRESSION" batch.size=65536 linger.ms=1000 \
        partitioner.class=org.apache.kafka.clients.producer.RoundRobinPartitioner --print-metrics
    local input
    for input in acks1 acksall fixed; do
        step "consumer-$input" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" \
            --topic "perf-$input" --num-records "$RECORDS" --group "perf-consumer-$input" \
            --timeout 60000 --print-metrics
    done
    step end-to-end-latency org.apache.kafka.tools.EndToEndLatency --bootstrap-server "$BOOTSTRAP" \
        --topic perf-e2e --num-records "$LATENCY_RECORDS" --producer-acks 1 --record-size "$RECORD_SIZE"
    fixed_input_on_disk
    stop_brokers
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
        V[$s.prod$acks.cpu]=$(cat "$d/producer-acks$acks.cpu" 2>/dev/null || echo -)
        V[$s.prod$acks.batch]=$(producer_metric "$d/producer-acks$acks.txt" batch-size-avg)
        V[$s.prod$acks.rpb]=$(producer_metric "$d/producer-acks$acks.txt" records-per-request-avg)
    done
    # The fixed-input topic's producer: not measured, but its batches are the consumer's input.
    V[$s.prodfixed.sent]=$(producer_field "$d/producer-fixed.txt" sent)
    V[$s.prodfixed.batch]=$(producer_metric "$d/producer-fixed.txt" batch-size-avg)
    V[$s.prodfixed.rpb]=$(producer_metric "$d/producer-fixed.txt" records-per-request-avg)
    V[$s.prodfixed.bufwait]=$(awk -v n="$(producer_metric "$d/producer-fixed.txt" bufferpool-wait-time-ns-total)" \
        'BEGIN { if (n == "-") print "-"; else printf "%.0f", n / 1e6 }')
    read -r _ V[$s.fixed.batches] _ V[$s.fixed.records] _ V[$s.fixed.bytes] <"$d/perf-fixed-on-disk.txt" 2>/dev/null ||
        V[$s.fixed.batches]=- V[$s.fixed.records]=- V[$s.fixed.bytes]=-
    V[$s.fixed.batchbytes]=$(awk -v b="${V[$s.fixed.batches]}" -v s="${V[$s.fixed.bytes]}" \
        'BEGIN { if (b == "-" || b + 0 == 0) print "-"; else printf "%.0f", s / b }')
    for c in 1 all fixed; do
        if [[ $c == fixed ]]; then f=$d/consumer-fixed.txt; else f=$d/consumer-acks$c.txt; fi
        V[$s.cons$c.n]=$(consumer_field "$f" 5)
        V[$s.cons$c.rps]=$(int "$(consumer_field "$f" 6)")
        V[$s.cons$c.mbs]=$(mbs "${V[$s.cons$c.rps]}")
        V[$s.cons$c.fetchrps]=$(int "$(consumer_field "$f" 10)")
        V[$s.cons$c.fetchsize]=$(consumer_metric "$f" fetch-size-avg)
        V[$s.cons$c.fetchlatency]=$(consumer_metric "$f" fetch-latency-avg)
        V[$s.cons$c.fetches]=$(consumer_metric "$f" fetch-total)
        V[$s.cons$c.cpu]=$(cat "${f%.txt}.cpu" 2>/dev/null || echo -)
    done
    V[$s.e2e.avg]=$(awk -v r="$(latency_field "$d/end-to-end-latency.txt" avg)" \
        'BEGIN { if (r == "-") print "-"; else printf "%.2f", r }')
    for i in 1 2 3; do V[$s.e2e.p$i]=$(latency_field "$d/end-to-end-latency.txt" "$i"); done
done

{
    echo
    echo "== Summary: Brook vs Apache Kafka $KAFKA_VERSION (MB = 10^6 bytes of record values;" \
        "ratio = Brook / Kafka: above 1 is better for throughput, below 1 is better for latency)"
    if (( BROKERS > 1 )); then
        echo "   $BROKERS brokers per system, topics with replication factor $REPLICATION and" \
            "min.insync.replicas=$MIN_INSYNC_REPLICAS; broker CPU is the sum over the $BROKERS processes"
        cpu_label="  brokers' CPU seconds during it (sum)"
    else
        cpu_label="  broker CPU seconds during it"
    fi
    fmt='%-44s %14s %14s %8s\n'
    printf "$fmt" measure Brook Kafka ratio
    row() { printf "$fmt" "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
    for acks in 1 all; do
        row "producer acks=$acks records/s" "${V[brook.prod$acks.rps]}" "${V[kafka.prod$acks.rps]}"
        row "producer acks=$acks MB/s" "${V[brook.prod$acks.mbs]}" "${V[kafka.prod$acks.mbs]}"
        row "producer acks=$acks avg latency ms" "${V[brook.prod$acks.avg]}" "${V[kafka.prod$acks.avg]}"
        row "producer acks=$acks p99 latency ms" "${V[brook.prod$acks.p99]}" "${V[kafka.prod$acks.p99]}"
        row "$cpu_label" "${V[brook.prod$acks.cpu]}" "${V[kafka.prod$acks.cpu]}"
        row "  producer batch bytes (avg)" "${V[brook.prod$acks.batch]}" "${V[kafka.prod$acks.batch]}"
        row "  producer records per request (avg)" "${V[brook.prod$acks.rpb]}" "${V[kafka.prod$acks.rpb]}"
    done
    for c in 1 all fixed; do
        if [[ $c == fixed ]]; then what="fixed input"; else what="topic of acks=$c"; fi
        row "consumer ($what) records/s" "${V[brook.cons$c.rps]}" "${V[kafka.cons$c.rps]}"
        row "consumer ($what) MB/s" "${V[brook.cons$c.mbs]}" "${V[kafka.cons$c.mbs]}"
        row "  fetch-only records/s (no group join)" "${V[brook.cons$c.fetchrps]}" "${V[kafka.cons$c.fetchrps]}"
        row "$cpu_label" "${V[brook.cons$c.cpu]}" "${V[kafka.cons$c.cpu]}"
        row "  fetches" "${V[brook.cons$c.fetches]}" "${V[kafka.cons$c.fetches]}"
        row "  bytes per fetch (avg)" "${V[brook.cons$c.fetchsize]}" "${V[kafka.cons$c.fetchsize]}"
        row "  fetch latency avg ms" "${V[brook.cons$c.fetchlatency]}" "${V[kafka.cons$c.fetchlatency]}"
        if [[ $c == fixed ]]; then
            # The same input on both sides: these two should match (ratio 1.00).
            row "  input: producer batch bytes (avg)" "${V[brook.prodfixed.batch]}" "${V[kafka.prodfixed.batch]}"
            row "  input: records per request (avg)" "${V[brook.prodfixed.rpb]}" "${V[kafka.prodfixed.rpb]}"
            row "  input: batches on disk" "${V[brook.fixed.batches]}" "${V[kafka.fixed.batches]}"
            row "  input: bytes per batch on disk (avg)" "${V[brook.fixed.batchbytes]}" "${V[kafka.fixed.batchbytes]}"
            # Above 0, the producer ran out of buffer.memory and sent batches before they were full.
            row "  input: producer waited for buffer ms" "${V[brook.prodfixed.bufwait]}" "${V[kafka.prodfixed.bufwait]}"
        fi
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
        for c in 1 all fixed; do
            if [[ $c == fixed ]]; then what=fixed; else what=acks=$c; fi
            line+=" $what sent ${V[$s.prod$c.sent]}, consumed ${V[$s.cons$c.n]};"
            [[ "${V[$s.prod$c.sent]}" == "$RECORDS" && "${V[$s.cons$c.n]}" == "$RECORDS" ]] ||
                echo "count mismatch, $what: sent ${V[$s.prod$c.sent]}, consumed ${V[$s.cons$c.n]}" \
                    >>"$RESULTS/$s/failures.txt"
        done
        line+=" perf-fixed on disk ${V[$s.fixed.records]} records in ${V[$s.fixed.batches]} batches"
        [[ "${V[$s.fixed.records]}" == "$RECORDS" ]] ||
            echo "count mismatch, perf-fixed on disk: ${V[$s.fixed.records]} records" >>"$RESULTS/$s/failures.txt"
        echo "$line"
        if [[ -s $RESULTS/$s/failures.txt ]]; then
            echo "  $s FAILURES (see $s/*.txt and $s/broker.log):"
            sed 's/^/    /' "$RESULTS/$s/failures.txt"
        fi
    done
    echo
    echo "Results: $RESULTS"
} | tee "$RESULTS/summary.txt"
