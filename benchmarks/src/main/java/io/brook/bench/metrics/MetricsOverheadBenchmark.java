package io.brook.bench.metrics;

import io.brook.broker.metrics.RequestMetrics;
import io.brook.broker.metrics.TopicMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.ApiKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * What the broker's metrics cost on the hot paths, on the Prometheus registry the broker runs
 * with: one request's four times ({@link RequestMetrics#requestCompleted}, every request), one
 * append's counters ({@link TopicMetrics#appended}, every partition of every produce), and a
 * request-handler busy report. Two threads, as two handler threads would contend.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class MetricsOverheadBenchmark {

    RequestMetrics requests;
    TopicMetrics topics;

    @Setup
    public void setUp() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        requests = new RequestMetrics(registry, 8, 3);
        topics = new TopicMetrics(registry);
        requests.requestCompleted(ApiKeys.PRODUCE, 0, 1, 2, 3);
        topics.appended("orders", 1, 100);
    }

    @Benchmark
    public void requestCompleted() {
        long now = System.nanoTime();
        requests.requestCompleted(ApiKeys.PRODUCE, now - 400_000, now - 300_000, now - 100_000, now);
    }

    @Benchmark
    public void topicAppended() {
        topics.appended("orders", 10, 1_000);
    }

    @Benchmark
    public void handlerBusy() {
        requests.requestHandlerBusy(50_000);
    }
}
