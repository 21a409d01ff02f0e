#!/usr/bin/env bash
# Kafka's consumer perf tool against Brook and Apache Kafka 4.4.0 running side by side, taking
# turns: both brokers are started at once (one broker each, the same JVM options as
# run-perf-vs-kafka.sh), the same fixed input is written to each (the fixed-input producer of
# run-perf-vs-kafka.sh), then ConsumerPerformance reads all of it ROUNDS times from each, the two
# systems alternating and swapping who goes first every round, so that both are measured in the
# same state of the machine (page cache, other load) rather than minutes apart. The broker that is
# not being read sits idle. See benchmarks/README.md.
#
# Settings, all optional, from the environment:
#   SKIP_BUILD=1       use the existing broker-service jar
#   ROUNDS             consumer runs per system (default 8)
#   RECORDS            records of the fixed input (default 20000000)
#   PRODUCE_RATE       records/s of the fixed-input producer (default 400000; below what either
#                      broker takes, so that its batches fill up)
#   BENCH_DIR=dir      where the brokers' data dirs are created and removed (default
#                      benchmarks/target/bench-data)
#   JAVA               java binary (default: java on the PATH)
# Output: benchmarks/target/consumer-side-by-side/<timestamp>/ (also linked as .../latest), with
# each tool's output and summary.txt.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${ROUNDS:-8}
RECORDS=${RECORDS:-20000000}
PRODUCE_RATE=${PRODUCE_RATE:-400000}
BENCH_DIR=${BENCH_DIR:-$ROOT/benchmarks/target/bench-data}
JAVA=${JAVA:-java}
BROOK_JAR=$ROOT/broker-service/target/broker-service-0.1.0-SNAPSHOT-exec.jar
KAFKA_SIDE=$ROOT/benchmarks/kafka-side
BROKER_JVM_OPTS=(-Xms2g -Xmx2g -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true)

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    ./mvnw -B -q -pl broker-service -am package -DskipTests
fi
./mvnw -B -q -f "$KAFKA_SIDE/pom.xml" dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt
KAFKA_CP=$(cat "$KAFKA_SIDE/target/classpath.txt")
KAFKA_LOG4J=(-Dlog4j2.configurationFile="$KAFKA_SIDE/log4j2.properties")

mkdir -p "$BENCH_DIR"
DATA=$(mktemp -d "$BENCH_DIR/side-by-side-XXXXXX")
RESULTS_PARENT=$ROOT/benchmarks/target/consumer-side-by-side
RESULTS=$RESULTS_PARENT/$(date +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
ln -sfn "$(basename "$RESULTS")" "$RESULTS_PARENT/latest"

# shellcheck source=free-port.sh
source "$ROOT/benchmarks/free-port.sh"
tool() { "$JAVA" -Xmx512m "${KAFKA_LOG4J[@]}" -cp "$KAFKA_CP" "$@"; }
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$DATA"
}
trap cleanup EXIT

free_port brook_port; free_port brook_zk; free_port brook_http
"$JAVA" "${BROKER_JVM_OPTS[@]}" -jar "$BROOK_JAR" --brook.broker.host=127.0.0.1 \
    --brook.broker.advertised-host=127.0.0.1 --brook.broker.port="$brook_port" \
    --brook.broker.data-dir="$DATA/brook" --brook.zookeeper.embedded-port="$brook_zk" \
    --brook.zookeeper.embedded-data-dir="$DATA/zookeeper" --server.port="$brook_http" \
    --brook.broker.group-initial-rebalance-delay=0 >"$RESULTS/brook-broker.log" 2>&1 &
PIDS+=("$!")
BROOK_PID=$!

free_port kafka_port; free_port kafka_controller
mkdir -p "$DATA/kafka"
cat >"$RESULTS/kafka-server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$kafka_controller
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$kafka_controller
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA/kafka/logs
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
tool kafka.tools.StorageTool format -t "$(tool kafka.tools.StorageTool random-uuid | tail -1)" \
    -c "$RESULTS/kafka-server.properties" --standalone >"$RESULTS/kafka-format.txt" 2>&1
"$JAVA" "${BROKER_JVM_OPTS[@]}" "${KAFKA_LOG4J[@]}" -cp "$KAFKA_CP" kafka.Kafka \
    "$RESULTS/kafka-server.properties" >"$RESULTS/kafka-broker.log" 2>&1 &
PIDS+=("$!")
KAFKA_PID=$!

deadline=$(( SECONDS + 120 ))
until curl -fsS "http://127.0.0.1:$brook_http/actuator/health/readiness" >/dev/null 2>&1 &&
    tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$kafka_port" --list >/dev/null 2>&1; do
    (( SECONDS < deadline )) || { echo "brokers did not start; see $RESULTS/*-broker.log" >&2; exit 1; }
    sleep 1
done

declare -A PORT=([brook]=$brook_port [kafka]=$kafka_port) PID=([brook]=$BROOK_PID [kafka]=$KAFKA_PID)
for s in brook kafka; do
    echo "== $s: fixed input, $RECORDS records at $PRODUCE_RATE records/s"
    tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:${PORT[$s]}" --create --topic fixed \
        --partitions 6 --replication-factor 1 >"$RESULTS/$s-create.txt"
    tool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "127.0.0.1:${PORT[$s]}" --topic fixed \
        --num-records "$RECORDS" --record-size 100 --throughput "$PRODUCE_RATE" --command-property acks=1 \
        compression.type=lz4 batch.size=65536 linger.ms=1000 \
        partitioner.class=org.apache.kafka.clients.producer.RoundRobinPartitioner >"$RESULTS/$s-producer.txt"
    tail -1 "$RESULTS/$s-producer.txt"
done

: >"$RESULTS/rounds.txt"
for (( round = 1; round <= ROUNDS; round++ )); do
    if (( round % 2 )); then order=(brook kafka); else order=(kafka brook); fi
    for s in "${order[@]}"; do
        out=$RESULTS/$s-consumer-$round.txt
        before=$(cpu "${PID[$s]}")
        tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "127.0.0.1:${PORT[$s]}" --topic fixed \
            --num-records "$RECORDS" --group "side-by-side-$round" --timeout 60000 --print-metrics >"$out" 2>&1
        after=$(cpu "${PID[$s]}")
        # The data line: fetch-only records/s is its tenth column; fetch latency from the metrics.
        rps=$(grep -E '^[0-9]{4}-' "$out" | tail -1 | awk -F', ' '{ printf "%d", $10 }')
        latency=$(awk -F' : ' '$1 ~ /consumer-fetch-manager-metrics:fetch-latency-avg:[{]client-id=[^,}]*[}]/ { v = $2 }
            END { printf "%.2f", v }' "$out")
        consumed=$(grep -E '^[0-9]{4}-' "$out" | tail -1 | awk -F', ' '{ print $5 }')
        printf '%s %d %s %s %s %s\n' "$s" "$round" "$rps" "$latency" \
            "$(awk -v a="$before" -v b="$after" 'BEGIN { printf "%.2f", b - a }')" "$consumed" >>"$RESULTS/rounds.txt"
        echo "round $round $s: $rps records/s (fetch only), fetch latency $latency ms"
    done
done

median() { # numbers on stdin -> their median
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
{
    echo "Consumer side by side: Brook vs Apache Kafka 4.4.0, $ROUNDS rounds of $RECORDS records each"
    echo "(fetch-only records/s: ConsumerPerformance's fetch.nMsg.sec, the group join left out)"
    printf '%-6s %-24s %-24s %s\n' round "brook rec/s (fetch ms)" "kafka rec/s (fetch ms)" "brook/kafka"
    awk '{ r[$1, $2] = $3; l[$1, $2] = $4; n = ($2 > n ? $2 : n) }
        END { for (i = 1; i <= n; i++) printf "%-6d %-24s %-24s %.2f\n", i, r["brook", i] " (" l["brook", i] ")",
            r["kafka", i] " (" l["kafka", i] ")", r["brook", i] / r["kafka", i] }' "$RESULTS/rounds.txt" | tee "$RESULTS/ratios.txt"
    brook_median=$(awk '$1 == "brook" { print $3 }' "$RESULTS/rounds.txt" | median)
    kafka_median=$(awk '$1 == "kafka" { print $3 }' "$RESULTS/rounds.txt" | median)
    echo "median: brook $brook_median, kafka $kafka_median records/s;" \
        "ratio of the medians $(awk -v b="$brook_median" -v k="$kafka_median" 'BEGIN { printf "%.2f", b / k }')," \
        "median of the rounds' ratios $(awk '{ print $NF }' "$RESULTS/ratios.txt" | median)," \
        "Brook ahead in $(awk '$NF >= 1' "$RESULTS/ratios.txt" | wc -l) of $ROUNDS rounds"
    echo "median fetch latency ms: brook $(awk '$1 == "brook" { print $4 }' "$RESULTS/rounds.txt" | median)," \
        "kafka $(awk '$1 == "kafka" { print $4 }' "$RESULTS/rounds.txt" | median)"
    echo "records consumed per run: $(awk '{ print $6 }' "$RESULTS/rounds.txt" | sort -u | tr '\n' ' ')"
    echo "broker CPU seconds per run: brook $(awk '$1 == "brook" { printf "%s ", $5 }' "$RESULTS/rounds.txt")," \
        "kafka $(awk '$1 == "kafka" { printf "%s ", $5 }' "$RESULTS/rounds.txt")"
} | tee "$RESULTS/summary.txt"
