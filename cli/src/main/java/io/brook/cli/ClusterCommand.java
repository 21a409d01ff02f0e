package io.brook.cli;

import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaFuture;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the cluster: the shared {@link ClientOptions}, the streams to print to
 * (picocli's, so that tests capture them) and an {@link Admin} made from the merged properties.
 * Subclasses implement {@link #run()} and let failures propagate: {@link BrookCli} turns them into
 * one line on stderr and exit status 1.
 */
abstract class ClusterCommand implements Callable<Integer> {

    /** How long one admin call may take before the command gives up (the clients retry inside). */
    static final long CALL_TIMEOUT_SECONDS = 60;

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        return run();
    }

    /** Runs the command; returns its exit status. */
    abstract int run() throws Exception;

    BrookCli root() {
        return (BrookCli) spec.root().userObject();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    boolean json() {
        return client.output == Output.json;
    }

    Properties clientProperties() {
        return client.properties(root().env());
    }

    /**
     * An Admin client on the merged properties. Its API timeout is {@value #CALL_TIMEOUT_SECONDS}
     * s unless the config files say otherwise; a cluster that does not answer ends the command
     * with exit status 1 then.
     */
    Admin admin() {
        Properties props = clientProperties();
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(CALL_TIMEOUT_SECONDS * 1000));
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "brook-cli");
        return Admin.create(props);
    }

    static <T> T get(KafkaFuture<T> future) throws ExecutionException, InterruptedException {
        try {
            return future.get(CALL_TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CliException("the cluster did not answer within " + CALL_TIMEOUT_SECONDS + " s");
        }
    }
}
