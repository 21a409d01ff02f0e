package io.brook.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The gateway's bearer tokens: JWTs signed with HMAC-SHA256 (JWS {@code HS256}) under {@code
 * brook.gateway.security.token-secret}, issuer {@code brook-gateway}, subject the user name,
 * {@code iat} and {@code exp} ({@code token-ttl} later). Signed and checked with Nimbus through
 * Spring Security's oauth2-jose; a token is accepted while its signature is right and {@code exp}
 * has not passed (no clock skew allowed: gateways of one cluster share a clock well enough, and a
 * token's life is short anyway). Tokens are not stored, so they cannot be revoked before they expire;
 * keep {@code token-ttl} short.
 *
 * <p>Threading: thread-safe.
 */
public final class TokenService {

    static final String ISSUER = "brook-gateway";

    /** HS256 needs a key of at least 256 bits (RFC 7518, 3.2). */
    static final int MIN_SECRET_BYTES = 32;

    private final SecretKey key;
    private final Duration ttl;
    private final Clock clock;
    private final NimbusJwtEncoder encoder;

    TokenService(byte[] secret, Duration ttl, Clock clock) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "brook.gateway.security.token-secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.ttl = ttl;
        this.clock = clock;
        this.encoder = NimbusJwtEncoder.withSecretKey(key).build();
    }

    /** The configured secret's bytes, or a random one when it is empty. */
    static byte[] secret(String configured) {
        if (configured != null && !configured.isEmpty()) {
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        byte[] random = new byte[MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(random);
        return random;
    }

    /** An issued token and how long it lives. */
    public record Issued(String token, Duration expiresIn) {}

    /** A fresh token for the user. */
    public Issued issue(String user) {
        Instant now = clock.instant();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .subject(user)
                .issuedAt(now)
                .expiresAt(now.plus(ttl))
                .build();
        String token = encoder.encode(JwtEncoderParameters.from(
                        JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
        return new Issued(token, ttl);
    }

    /** The decoder the resource-server filter checks bearer tokens with. */
    ReactiveJwtDecoder decoder() {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withSecretKey(key)
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        JwtTimestampValidator expiry = new JwtTimestampValidator(Duration.ZERO);
        expiry.setClock(clock);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(expiry, new JwtIssuerValidator(ISSUER)));
        return decoder;
    }
}
