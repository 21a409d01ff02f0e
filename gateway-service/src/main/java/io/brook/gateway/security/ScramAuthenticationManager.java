package io.brook.gateway.security;

import io.brook.cluster.security.ScramPasswords;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Checks a user name and password (HTTP Basic, or the token endpoint's body) against the SCRAM
 * credentials the brokers use, with {@link ScramPasswords#verify}: the password is salted and
 * iterated again with the stored salt and iterations and the stored key compared. The password is
 * never kept: the authenticated token carries the name only.
 *
 * <p>SCRAM's 4096 iterations cost milliseconds of CPU; a client that sends Basic with every request
 * would pay that each time, so a success is remembered for {@code ttl} as a SHA-256 of a random
 * per-process pepper and the password, next to the credential object it was checked against (a
 * changed or removed credential is a different object or none, and ends it at once). The check runs
 * on a bounded-elastic thread, not on the event loop.
 *
 * <p>Failed and successful attempts go through the {@link LoginThrottle} of the client's address,
 * which the converters put in the token's details.
 *
 * <p>Threading: thread-safe.
 */
final class ScramAuthenticationManager implements ReactiveAuthenticationManager {

    /** Remembered successes kept at most; past it the memory is cleared (simpler than LRU, rare). */
    private static final int MAX_REMEMBERED = 10_000;

    private final CredentialCache credentials;
    private final LoginThrottle throttle;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final byte[] pepper = new byte[32];
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    private record Remembered(byte[] hash, ScramCredential credential, long expiresAt) {}

    ScramAuthenticationManager(
            CredentialCache credentials, LoginThrottle throttle, Duration ttl, LongSupplier nanoTime) {
        this.credentials = credentials;
        this.throttle = throttle;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
        new SecureRandom().nextBytes(pepper);
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        if (!(authentication instanceof UsernamePasswordAuthenticationToken login)) {
            return Mono.empty();
        }
        String user = login.getName();
        String password =
                login.getCredentials() == null ? "" : login.getCredentials().toString();
        String address = login.getDetails() instanceof ClientAddress a ? a.text() : "-";
        Duration wait = throttle.beforeAttempt(address);
        Mono<Boolean> check = Mono.fromCallable(() -> check(user, password)).subscribeOn(Schedulers.boundedElastic());
        if (!wait.isZero()) {
            check = Mono.delay(wait).then(check);
        }
        return check.flatMap(ok -> {
            if (!ok) {
                throttle.failed(address);
                return Mono.error(new BadCredentialsException("Bad user name or password"));
            }
            throttle.succeeded(address);
            UsernamePasswordAuthenticationToken done =
                    UsernamePasswordAuthenticationToken.authenticated(user, null, List.of());
            done.setDetails(login.getDetails());
            return Mono.just(done);
        });
    }

    private boolean check(String user, String password) {
        if (user == null || user.isEmpty() || password.isEmpty()) {
            return false;
        }
        ScramCredential current = current(user);
        if (current == null) {
            return false;
        }
        byte[] hash = hash(password);
        Remembered seen = remembered.get(user);
        if (seen != null
                && seen.credential() == current
                && nanoTime.getAsLong() - seen.expiresAt() < 0
                && MessageDigest.isEqual(seen.hash(), hash)) {
            return true;
        }
        Optional<Boolean> verified = ScramPasswords.verify(credentials, user, password);
        boolean ok = verified.orElse(false);
        if (ok && ttlNanos > 0) {
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
            remembered.put(user, new Remembered(hash, current, nanoTime.getAsLong() + ttlNanos));
        } else if (!ok) {
            remembered.remove(user);
        }
        return ok;
    }

    /** The credential {@link ScramPasswords#verify} checks first (SHA-512, then SHA-256). */
    private ScramCredential current(String user) {
        for (ScramMechanism mechanism :
                new ScramMechanism[] {ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256}) {
            CredentialCache.Cache<ScramCredential> cache =
                    credentials.cache(mechanism.mechanismName(), ScramCredential.class);
            ScramCredential credential = cache == null ? null : cache.get(user);
            if (credential != null) {
                return credential;
            }
        }
        return null;
    }

    private byte[] hash(String password) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(pepper);
            return digest.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The HTTP client's address, as the details of a login token. */
    record ClientAddress(String text) {}
}
