package io.brook.gateway.security;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing from one address: every login attempt (HTTP Basic, or the token
 * endpoint) from an address waits for that address's turn, and each consecutive failure pushes the
 * turn further out.
 *
 * <table>
 *   <caption>Per address</caption>
 *   <tr><th>event</th><th>effect</th></tr>
 *   <tr><td>attempt</td><td>waits until the address's next turn (none without failures); with
 *       {@code n} failures the turn after it is {@code delay(n)} later, so parallel attempts queue
 *       one behind the other instead of racing</td></tr>
 *   <tr><td>failure</td><td>{@code n + 1}; the next turn is at least {@code delay(n + 1)} away</td></tr>
 *   <tr><td>success</td><td>forgotten</td></tr>
 * </table>
 *
 * <p>{@code delay(n) = base * 2^(n-1)}, at most {@code max}. Memory is bounded: at most {@code
 * capacity} addresses are kept, the least recently seen forgotten first (an attacker with many
 * addresses is not slowed by this; a network limit is the answer to that).
 *
 * <p>Threading: thread-safe (one lock; each call is a few map operations).
 */
final class LoginThrottle {

    private final long baseNanos;
    private final long maxNanos;
    private final LongSupplier nanoTime;
    private final Map<String, State> byAddress;

    private static final class State {
        int failures;
        long nextTurn;
    }

    LoginThrottle(Duration base, Duration max, int capacity, LongSupplier nanoTime) {
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
        this.nanoTime = nanoTime;
        this.byAddress = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
                return size() > capacity;
            }
        };
    }

    /** How long an attempt from {@code address} made now must wait before it is checked. */
    synchronized Duration beforeAttempt(String address) {
        State state = byAddress.get(address);
        if (state == null || state.failures == 0) {
            return Duration.ZERO;
        }
        long now = nanoTime.getAsLong();
        long turn = Math.max(now, state.nextTurn);
        state.nextTurn = turn + delay(state.failures);
        return Duration.ofNanos(turn - now);
    }

    synchronized void failed(String address) {
        State state = byAddress.computeIfAbsent(address, a -> new State());
        state.failures++;
        state.nextTurn = Math.max(state.nextTurn, nanoTime.getAsLong() + delay(state.failures));
    }

    synchronized void succeeded(String address) {
        byAddress.remove(address);
    }

    synchronized int tracked() {
        return byAddress.size();
    }

    long delay(int failures) {
        if (failures <= 0) {
            return 0;
        }
        int shift = Math.min(failures - 1, 30);
        long delay = baseNanos << shift;
        return delay < 0 || delay > maxNanos ? maxNanos : delay;
    }
}
