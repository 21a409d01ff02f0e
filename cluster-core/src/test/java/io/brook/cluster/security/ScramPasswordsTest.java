package io.brook.cluster.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramCredentialUtils;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;

class ScramPasswordsTest {

    @Test
    void aCredentialMatchesItsPasswordAndNoOther() {
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            ScramCredential credential = ScramPasswords.create(mechanism, "s3cret", 4096);
            assertThat(ScramPasswords.matches(mechanism, credential, "s3cret")).isTrue();
            assertThat(ScramPasswords.matches(mechanism, credential, "s3cret ")).isFalse();
            assertThat(ScramPasswords.matches(mechanism, credential, "")).isFalse();
        }
    }

    @Test
    void theStoredFormNeverContainsThePassword() {
        String password = "correct-horse-battery-staple";
        ScramCredential credential = ScramPasswords.create(ScramMechanism.SCRAM_SHA_256, password, 4096);
        String stored = ScramCredentialUtils.credentialToString(credential);
        assertThat(stored).contains("iterations=4096").doesNotContain(password);
        assertThat(new String(credential.storedKey(), StandardCharsets.ISO_8859_1))
                .doesNotContain(password);
    }

    @Test
    void twoCredentialsForOnePasswordHaveDifferentSalts() {
        ScramCredential a = ScramPasswords.create(ScramMechanism.SCRAM_SHA_512, "pw", 4096);
        ScramCredential b = ScramPasswords.create(ScramMechanism.SCRAM_SHA_512, "pw", 4096);
        assertThat(a.salt()).isNotEqualTo(b.salt());
        assertThat(a.storedKey()).isNotEqualTo(b.storedKey());
    }

    @Test
    void verifyLooksUpWhicheverMechanismTheUserHas() {
        CredentialCache cache = ScramPasswords.newCache();
        cache.cache("SCRAM-SHA-256", ScramCredential.class)
                .put("alice", ScramPasswords.create(ScramMechanism.SCRAM_SHA_256, "alice-pw", 4096));
        assertThat(ScramPasswords.verify(cache, "alice", "alice-pw")).contains(true);
        assertThat(ScramPasswords.verify(cache, "alice", "bob-pw")).contains(false);
        assertThat(ScramPasswords.verify(cache, "bob", "alice-pw")).isEmpty();
    }

    @Test
    void iterationsBelowKafkasMinimumAreRefused() {
        assertThatThrownBy(() -> ScramPasswords.create(ScramMechanism.SCRAM_SHA_256, "pw", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("iterations");
    }
}
