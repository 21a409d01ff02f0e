package io.brook.broker.security;

import static io.brook.broker.security.SecurityFixture.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RequestAuthorizationTest {

    static SecurityFixture security;
    ListAppender<ILoggingEvent> audit;
    Logger auditLogger;

    @BeforeAll
    static void start() throws Exception {
        security = new SecurityFixture("User:admin");
        security.allow("alice", AclOperation.WRITE, ResourceType.TOPIC, "orders");
        security.allow("alice", AclOperation.ALTER_CONFIGS, ResourceType.TOPIC, "orders");
        security.allow("alice", AclOperation.DESCRIBE, ResourceType.CLUSTER, "kafka-cluster");
    }

    @AfterAll
    static void stop() throws Exception {
        security.close();
    }

    @BeforeEach
    void captureAudit() {
        auditLogger = (Logger) LoggerFactory.getLogger(RequestAuthorization.AUDIT_LOGGER);
        auditLogger.setLevel(Level.INFO);
        audit = new ListAppender<>();
        audit.start();
        auditLogger.addAppender(audit);
    }

    @AfterEach
    void releaseAudit() {
        auditLogger.detachAppender(audit);
    }

    List<String> auditLines() {
        return audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void withoutAnAuthorizerEverythingIsAllowedAndTheAclApisAreDisabled() {
        RequestAuthorization none = RequestAuthorization.ALLOW_ALL;
        assertThat(none.enabled()).isFalse();
        assertThat(none.authorize(context("anyone", ApiKeys.PRODUCE), AclOperation.WRITE, ResourceType.TOPIC, "t"))
                .isTrue();
        assertThat(none.filter(
                        context("anyone", ApiKeys.METADATA),
                        AclOperation.DESCRIBE,
                        ResourceType.TOPIC,
                        List.of("a", "b", "a"),
                        true))
                .containsExactly("a", "b");
        assertThatThrownBy(none::requireAuthorizer).isInstanceOf(SecurityDisabledException.class);
        assertThat(auditLines()).isEmpty();
    }

    @Test
    void aDenialIsAuditedWithPrincipalHostOperationResourceAndApiButNoPayload() {
        var alice = context("alice", ApiKeys.PRODUCE);
        assertThat(security.authorization.filter(
                        alice, AclOperation.WRITE, ResourceType.TOPIC, List.of("orders", "payments"), true))
                .containsExactly("orders");
        assertThat(auditLines())
                .containsExactly(
                        "DENIED principal=User:alice host=127.0.0.1 operation=WRITE resource=TOPIC:payments api=PRODUCE");
    }

    @Test
    void quietChecksAndFiltersLeaveNoAuditLine() {
        var bob = context("bob", ApiKeys.METADATA);
        assertThat(security.authorization.allowedQuietly(bob, AclOperation.DESCRIBE, ResourceType.TOPIC, "orders"))
                .isFalse();
        assertThat(security.authorization.filter(
                        bob, AclOperation.DESCRIBE, ResourceType.TOPIC, List.of("orders"), false))
                .isEmpty();
        assertThat(auditLines()).isEmpty();
    }

    @Test
    void aForgedLineBreakInAResourceNameIsEscapedInTheAuditLine() {
        security.authorization.authorize(
                context("bob", ApiKeys.JOIN_GROUP), AclOperation.READ, ResourceType.GROUP, "g\nDENIED forged");
        assertThat(auditLines()).singleElement().asString().doesNotContain("\n").contains("g\\u000aDENIED forged");
    }

    @Test
    void clusterChecksThrowKafkasClusterAuthorizationException() {
        security.authorization.requireCluster(context("alice", ApiKeys.DESCRIBE_ACLS), AclOperation.DESCRIBE);
        security.authorization.requireCluster(context("admin", ApiKeys.CREATE_ACLS), AclOperation.ALTER);
        assertThatThrownBy(() -> security.authorization.requireCluster(
                        context("alice", ApiKeys.CREATE_ACLS), AclOperation.ALTER))
                .isInstanceOf(ClusterAuthorizationException.class);
    }

    @Test
    void configChecksAnswerTopicOrClusterAuthorizationFailed() {
        var alice = context("alice", ApiKeys.INCREMENTAL_ALTER_CONFIGS);
        assertThat(security.authorization.checkConfigs(
                        alice, ConfigResource.Type.TOPIC.id(), "orders", AclOperation.ALTER_CONFIGS))
                .isEmpty();
        assertThat(security.authorization.checkConfigs(
                        alice, ConfigResource.Type.TOPIC.id(), "other", AclOperation.ALTER_CONFIGS))
                .contains(Errors.TOPIC_AUTHORIZATION_FAILED);
        assertThat(security.authorization.checkConfigs(
                        alice, ConfigResource.Type.BROKER.id(), "1", AclOperation.ALTER_CONFIGS))
                .isEqualTo(Optional.of(Errors.CLUSTER_AUTHORIZATION_FAILED));
        // ALTER_CONFIGS implies DESCRIBE_CONFIGS
        assertThat(security.authorization.checkConfigs(
                        alice, ConfigResource.Type.TOPIC.id(), "orders", AclOperation.DESCRIBE_CONFIGS))
                .isEmpty();
    }

    @Test
    void authorizedOperationsAreKafkasBitField() {
        int ops = security.authorization.authorizedOperations(
                context("alice", ApiKeys.METADATA), ResourceType.TOPIC, "orders");
        assertThat(Utils.from32BitField(ops))
                .containsExactlyInAnyOrder(
                        AclOperation.WRITE.code(),
                        AclOperation.DESCRIBE.code(),
                        AclOperation.ALTER_CONFIGS.code(),
                        AclOperation.DESCRIBE_CONFIGS.code());
    }
}
