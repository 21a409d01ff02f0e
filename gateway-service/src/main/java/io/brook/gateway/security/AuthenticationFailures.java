package io.brook.gateway.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * {@code brook_gateway_authentication_failures_total{reason}}: the requests answered 401, by
 * reason, {@code bad_credentials} (a wrong user name or password, Basic or the login body), {@code
 * invalid_token} (a bearer token that is forged, expired or malformed) and {@code no_credentials}
 * (a protected path called without any). The three counters are registered at start, so that a
 * rate is 0, not absent, before the first failure. Counted where the audit line is written ({@link
 * SecurityProblems}); never a user name or a secret as a label.
 *
 * <p>Threading: thread-safe.
 */
final class AuthenticationFailures {

    static final String BAD_CREDENTIALS = "bad_credentials";
    static final String INVALID_TOKEN = "invalid_token";
    static final String NO_CREDENTIALS = "no_credentials";

    private final Map<String, Counter> byReason;

    AuthenticationFailures(MeterRegistry registry) {
        this.byReason = Map.of(
                BAD_CREDENTIALS, counter(registry, BAD_CREDENTIALS),
                INVALID_TOKEN, counter(registry, INVALID_TOKEN),
                NO_CREDENTIALS, counter(registry, NO_CREDENTIALS));
    }

    private static Counter counter(MeterRegistry registry, String reason) {
        return Counter.builder("brook.gateway.authentication.failures")
                .description("Requests refused with 401, by reason")
                .tag("reason", reason)
                .register(registry);
    }

    void failed(String reason) {
        Counter counter = byReason.get(reason);
        if (counter != null) {
            counter.increment();
        }
    }
}
