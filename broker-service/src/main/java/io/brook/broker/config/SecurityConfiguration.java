package io.brook.broker.config;

import io.brook.broker.protocol.handlers.AlterUserScramCredentialsHandler;
import io.brook.broker.protocol.handlers.CreateAclsHandler;
import io.brook.broker.protocol.handlers.DeleteAclsHandler;
import io.brook.broker.protocol.handlers.DescribeAclsHandler;
import io.brook.broker.protocol.handlers.DescribeUserScramCredentialsHandler;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.security.AclAuthorizer;
import io.brook.cluster.security.ScramCredentialStore;
import io.brook.cluster.security.ScramPasswords;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Users and ACLs on the broker: the SCRAM credential store that keeps the {@link CredentialCache}
 * bean current, the bootstrap administrator, the authorizer behind {@link RequestAuthorization}
 * (only with {@code brook.security.authorizer-enabled}), and the handlers of the ACL and SCRAM
 * credential APIs. Both stores have loaded from ZooKeeper before the beans exist, so before the
 * broker takes its first request.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean(destroyMethod = "close")
    ScramCredentialStore scramCredentialStore(
            ZooKeeperConnection zk,
            CredentialCache credentialCache,
            SecurityProperties security,
            ZooKeeperProperties zkProperties) {
        ScramCredentialStore store = new ScramCredentialStore(zk.curator(), credentialCache);
        createBootstrapAdmin(store, security.getBootstrapAdmin());
        store.start(zkProperties.getConnectionTimeout());
        return store;
    }

    /**
     * Gives the bootstrap administrator SCRAM-SHA-256 and SCRAM-SHA-512 credentials if they have
     * none yet; the password is used here and forgotten.
     */
    static void createBootstrapAdmin(ScramCredentialStore store, SecurityProperties.BootstrapAdmin admin) {
        if (admin.getUsername().isBlank()) {
            return;
        }
        if (admin.getPassword().isEmpty()) {
            throw new IllegalStateException("brook.security.bootstrap-admin.username is set but its password is empty");
        }
        Map<ScramMechanism, ScramCredential> credentials = new EnumMap<>(ScramMechanism.class);
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            credentials.put(
                    mechanism,
                    ScramPasswords.create(mechanism, admin.getPassword(), ScramPasswords.DEFAULT_ITERATIONS));
        }
        if (store.createIfAbsent(admin.getUsername(), credentials)) {
            LOG.info("Created SCRAM credentials for the bootstrap administrator {}", admin.getUsername());
        } else {
            LOG.info(
                    "The bootstrap administrator {} already has SCRAM credentials; left unchanged",
                    admin.getUsername());
        }
    }

    /** Kafka's ACLs when {@code brook.security.authorizer-enabled}; otherwise everything is allowed. */
    @Bean(destroyMethod = "close")
    RequestAuthorization requestAuthorization(
            ZooKeeperConnection zk, SecurityProperties security, ZooKeeperProperties zkProperties) {
        if (!security.isAuthorizerEnabled()) {
            return RequestAuthorization.ALLOW_ALL;
        }
        AclAuthorizer authorizer = new AclAuthorizer(zk.curator());
        authorizer.configure(Map.of(
                AclAuthorizer.SUPER_USERS_CONFIG, security.getSuperUsers(),
                AclAuthorizer.ALLOW_EVERYONE_IF_NO_ACL_FOUND_CONFIG, security.isAllowEveryoneIfNoAclFound()));
        authorizer.start(zkProperties.getConnectionTimeout());
        LOG.info(
                "ACL authorizer on: super users {}, allow.everyone.if.no.acl.found={}",
                security.getSuperUsers(),
                security.isAllowEveryoneIfNoAclFound());
        return RequestAuthorization.with(authorizer);
    }

    @Bean
    CreateAclsHandler createAclsHandler(RequestAuthorization authorization) {
        return new CreateAclsHandler(authorization);
    }

    @Bean
    DescribeAclsHandler describeAclsHandler(RequestAuthorization authorization) {
        return new DescribeAclsHandler(authorization);
    }

    @Bean
    DeleteAclsHandler deleteAclsHandler(RequestAuthorization authorization) {
        return new DeleteAclsHandler(authorization);
    }

    @Bean
    DescribeUserScramCredentialsHandler describeUserScramCredentialsHandler(
            ScramCredentialStore store, RequestAuthorization authorization) {
        return new DescribeUserScramCredentialsHandler(store, authorization);
    }

    @Bean
    AlterUserScramCredentialsHandler alterUserScramCredentialsHandler(
            ScramCredentialStore store, RequestAuthorization authorization) {
        return new AlterUserScramCredentialsHandler(store, authorization);
    }
}
