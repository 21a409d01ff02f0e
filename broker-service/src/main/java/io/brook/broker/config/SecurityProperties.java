package io.brook.broker.config;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Authorization and the bootstrap administrator, under {@code brook.security}. Everything is off
 * by default: no authorizer, every request allowed, as a broker without security.
 *
 * <p>The bootstrap administrator may come from the environment, as a Kubernetes secret mounted as
 * variables gives it: {@code BROOK_SECURITY_BOOTSTRAPADMIN_USERNAME} and {@code
 * BROOK_SECURITY_BOOTSTRAPADMIN_PASSWORD} (Spring's relaxed binding).
 */
@ConfigurationProperties("brook.security")
public class SecurityProperties {

    /**
     * Check Kafka's ACLs (stored in ZooKeeper) on every API. Off: no authorizer, every request is
     * allowed and the ACL APIs answer SECURITY_DISABLED, as Kafka without {@code
     * authorizer.class.name}.
     */
    private boolean authorizerEnabled = false;

    /**
     * Kafka's {@code super.users}: principals ({@code User:admin}) allowed everything whatever the
     * ACLs say.
     */
    private List<String> superUsers = new ArrayList<>();

    /** Kafka's {@code allow.everyone.if.no.acl.found}: a resource without any ACL is open to all. */
    private boolean allowEveryoneIfNoAclFound = false;

    /** A user whose SCRAM credentials are created at start-up if they have none yet. */
    private final BootstrapAdmin bootstrapAdmin = new BootstrapAdmin();

    /** The first administrator, meant to be listed in {@code super-users} as {@code User:<name>}. */
    public static class BootstrapAdmin {

        /** User name; empty: no bootstrap administrator. */
        private String username = "";

        /**
         * Password, used once to derive salted SCRAM-SHA-256 and SCRAM-SHA-512 credentials; it is
         * never stored or logged. A password changed later (AlterUserScramCredentials) is kept.
         */
        private String password = "";

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        @Override
        public String toString() {
            return "BootstrapAdmin[username=" + username + ", password=(hidden)]";
        }
    }

    public boolean isAuthorizerEnabled() {
        return authorizerEnabled;
    }

    public void setAuthorizerEnabled(boolean authorizerEnabled) {
        this.authorizerEnabled = authorizerEnabled;
    }

    public List<String> getSuperUsers() {
        return superUsers;
    }

    public void setSuperUsers(List<String> superUsers) {
        this.superUsers = superUsers;
    }

    public boolean isAllowEveryoneIfNoAclFound() {
        return allowEveryoneIfNoAclFound;
    }

    public void setAllowEveryoneIfNoAclFound(boolean allowEveryoneIfNoAclFound) {
        this.allowEveryoneIfNoAclFound = allowEveryoneIfNoAclFound;
    }

    public BootstrapAdmin getBootstrapAdmin() {
        return bootstrapAdmin;
    }
}
