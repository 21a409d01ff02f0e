package io.brook.gateway.websocket;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;

/**
 * The open WebSocket sessions, closed with 1001 (going away) when the gateway stops: before the
 * web server's graceful shutdown, which would otherwise wait for them until its timeout. Closing
 * a consume socket commits its acknowledged offsets (see RecordStream).
 *
 * <p>Threading: thread-safe.
 */
class OpenSockets implements SmartLifecycle {

    private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    void add(WebSocketSession session) {
        sessions.add(session);
    }

    void remove(WebSocketSession session) {
        sessions.remove(session);
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        Flux.fromIterable(Set.copyOf(sessions))
                .flatMap(s -> s.close(Sockets.status(CloseStatus.GOING_AWAY.getCode(), "The gateway is shutting down."))
                        .onErrorComplete())
                .then()
                .block(Duration.ofSeconds(10));
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
