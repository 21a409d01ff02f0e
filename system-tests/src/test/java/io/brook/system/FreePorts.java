package io.brook.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for processes that bind them seconds later, and again after each restart.
 *
 * <p>A port from {@code new ServerSocket(0)} lies in the kernel's ephemeral range, the one it
 * also draws the local ports of outgoing connections from: with brokers, ZooKeeper and clients
 * opening connections all along, one of them can take the port before the broker that was given
 * it binds it (seen here: a broker failing with "Address already in use"). So ports are drawn
 * instead between 10000 and the start of the ephemeral range (Linux's {@code
 * ip_local_port_range}, 32768 by default), checked bindable, and never handed out twice by this
 * JVM. Where that range is too small, a port from {@code ServerSocket(0)} it is.
 *
 * <p>Threading: thread-safe.
 */
final class FreePorts {

    static final int LOWEST = 10_000;
    static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {}

    static int next() {
        int end = ephemeralStart();
        if (end - LOWEST >= 1000) {
            for (int i = 0; i < ATTEMPTS; i++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
                if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                    return port;
                }
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HANDED_OUT.add(socket.getLocalPort());
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int ephemeralStart() {
        // read by line: Files.readString trusts the size procfs reports for the file, and gets
        // a fraction of it
        try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
            return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
