package io.brook.cluster.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Optional;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * Creating SCRAM credentials from a password and checking a password against them, with
 * kafka-clients' {@link ScramFormatter} (RFC 5802: the salted password is iterated HMAC, the
 * stored key the hash of its client key). A password is checked by deriving the stored key again
 * from the credential's salt and iterations and comparing in constant time; the password itself is
 * never kept.
 */
public final class ScramPasswords {

    /** Kafka's default, and the minimum Kafka accepts for SCRAM-SHA-256/512. */
    public static final int DEFAULT_ITERATIONS = 4096;

    private ScramPasswords() {}

    /** A fresh credential (random salt) for the password. */
    public static ScramCredential create(ScramMechanism mechanism, String password, int iterations) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("a password must not be empty");
        }
        if (iterations < mechanism.minIterations() || iterations > mechanism.maxIterations()) {
            throw new IllegalArgumentException("iterations for " + mechanism.mechanismName() + " must lie in ["
                    + mechanism.minIterations() + ", " + mechanism.maxIterations() + "]: " + iterations);
        }
        try {
            return new ScramFormatter(mechanism).generateCredential(password, iterations);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SCRAM is not available in this JVM", e);
        }
    }

    /** Whether the password is the one the credential was made from. */
    public static boolean matches(ScramMechanism mechanism, ScramCredential credential, String password) {
        if (password == null || password.isEmpty()) {
            return false; // HMAC refuses an empty key; no credential is made from an empty password
        }
        try {
            ScramFormatter formatter = new ScramFormatter(mechanism);
            byte[] salted = formatter.saltedPassword(password, credential.salt(), credential.iterations());
            byte[] storedKey = formatter.storedKey(formatter.clientKey(salted));
            return MessageDigest.isEqual(storedKey, credential.storedKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SCRAM is not available in this JVM", e);
        }
    }

    /**
     * Checks a user's password against whichever SCRAM credentials the cache holds for them
     * (SHA-512 first). Empty when the user has no credential; otherwise whether the password
     * matches.
     */
    public static Optional<Boolean> verify(CredentialCache cache, String user, String password) {
        for (ScramMechanism mechanism :
                new ScramMechanism[] {ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256}) {
            CredentialCache.Cache<ScramCredential> byUser =
                    cache.cache(mechanism.mechanismName(), ScramCredential.class);
            ScramCredential credential = byUser == null ? null : byUser.get(user);
            if (credential != null) {
                return Optional.of(matches(mechanism, credential, password));
            }
        }
        return Optional.empty();
    }

    /** An empty cache with one map per SCRAM mechanism, as the SCRAM SASL server expects. */
    public static CredentialCache newCache() {
        CredentialCache cache = new CredentialCache();
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            cache.createCache(mechanism.mechanismName(), ScramCredential.class);
        }
        return cache;
    }
}
