package io.brook.gateway.security;

import io.brook.cluster.security.AclAuthorizer;
import io.brook.cluster.security.ScramCredentialStore;
import io.brook.cluster.security.ScramPasswords;
import io.brook.gateway.config.GatewayProperties;
import java.util.HashMap;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.server.authorizer.Authorizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With security on, the users and ACLs the brokers use, read from ZooKeeper ({@code
 * brook.gateway.zookeeper-connect}) through cluster-core: the {@link ScramCredentialStore}'s
 * mirror of {@code /config/users} as a {@link CredentialCache}, and the {@link AclAuthorizer} over
 * Kafka's ACL znodes, configured with the same {@code super.users} and {@code
 * allow.everyone.if.no.acl.found} as the brokers should be. Both are started (loaded) before the
 * gateway serves, and follow changes through watches. The gateway only reads: users and ACLs are
 * written by the brokers (AlterUserScramCredentials, CreateAcls, DeleteAcls), which the admin API
 * calls.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "brook.gateway.security.enabled", havingValue = "true")
class SecurityBackendConfiguration {

    @Bean(destroyMethod = "close")
    CuratorFramework securityCurator(GatewayProperties properties) {
        String connect = properties.getZookeeperConnect();
        if (connect == null || connect.isBlank()) {
            throw new IllegalStateException(
                    "brook.gateway.zookeeper-connect is required with brook.gateway.security.enabled=true: the "
                            + "gateway reads the cluster's users and ACLs from ZooKeeper");
        }
        CuratorFramework curator = CuratorFrameworkFactory.builder()
                .connectString(connect)
                .retryPolicy(new ExponentialBackoffRetry(500, 10, 5_000))
                .build();
        curator.start();
        return curator;
    }

    @Bean(destroyMethod = "close")
    ScramCredentialStore scramCredentialStore(CuratorFramework securityCurator, GatewayProperties properties) {
        ScramCredentialStore store = new ScramCredentialStore(securityCurator, ScramPasswords.newCache());
        store.start(properties.getAdminTimeout());
        return store;
    }

    @Bean
    CredentialCache credentialCache(ScramCredentialStore store) {
        return store.credentials();
    }

    @Bean(destroyMethod = "close")
    Authorizer aclAuthorizer(CuratorFramework securityCurator, GatewayProperties properties) {
        GatewayProperties.Security security = properties.getSecurity();
        AclAuthorizer authorizer = new AclAuthorizer(securityCurator);
        Map<String, Object> config = new HashMap<>();
        config.put(AclAuthorizer.SUPER_USERS_CONFIG, security.getSuperUsers());
        config.put(AclAuthorizer.ALLOW_EVERYONE_IF_NO_ACL_FOUND_CONFIG, security.isAllowEveryoneIfNoAclFound());
        authorizer.configure(config);
        authorizer.start(properties.getAdminTimeout());
        return authorizer;
    }
}
