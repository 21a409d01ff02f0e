package io.brook.gateway.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client for the tests: the JDK's {@link java.net.http.WebSocket}. It keeps every
 * text frame received and the close status. Reading can be withheld ({@code reading = false}): the
 * JDK client then takes no frame from the connection, so TCP fills up as with a client that
 * stopped reading.
 */
public final class TestSocket implements WebSocket.Listener, AutoCloseable {

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean reading;
    private volatile String closeReason;
    private WebSocket socket;

    private TestSocket(boolean reading) {
        this.reading = reading;
    }

    public static TestSocket open(String url, boolean reading) throws Exception {
        return open(url, reading, java.util.Map.of());
    }

    /**
     * With handshake headers; a {@code Sec-WebSocket-Protocol} entry is given to the JDK client as
     * its subprotocols (comma-separated, the first the most preferred).
     */
    public static TestSocket open(String url, boolean reading, java.util.Map<String, String> headers) throws Exception {
        TestSocket listener = new TestSocket(reading);
        WebSocket.Builder builder =
                HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach((name, value) -> {
            if (name.equalsIgnoreCase("Sec-WebSocket-Protocol")) {
                String[] protocols = value.split("\\s*,\\s*");
                builder.subprotocols(protocols[0], java.util.Arrays.copyOfRange(protocols, 1, protocols.length));
            } else {
                builder.header(name, value);
            }
        });
        listener.socket = builder.buildAsync(URI.create(url), listener).get(30, TimeUnit.SECONDS);
        return listener;
    }

    /** The subprotocol the server chose; empty if none. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public static TestSocket open(String url) throws Exception {
        return open(url, true);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reading) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(partial.toString());
            partial.setLength(0);
        }
        if (reading) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Starts reading again (after {@code reading = false}). */
    public void resumeReading() {
        reading = true;
        socket.request(Long.MAX_VALUE);
    }

    public List<String> received() {
        return received;
    }

    /** The close status the server sent; not done while open. */
    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    public String closeReason() {
        return closeReason;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
            } catch (CompletionException e) {
                // The JDK client answers a server's close by itself: when that answer went out
                // between the check and this close, there is nothing left to send.
                if (!socket.isOutputClosed()) {
                    throw e;
                }
            }
        }
        socket.abort();
    }
}
