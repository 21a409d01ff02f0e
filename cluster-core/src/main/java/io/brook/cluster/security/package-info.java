/**
 * Users and ACLs, shared by the brokers and the gateway so that one identity meets one authorizer
 * on every path.
 *
 * <p>The contracts are Kafka's own classes, so that the SASL servers of kafka-clients and the
 * stock tools fit without adapters:
 *
 * <ul>
 *   <li>SCRAM credentials (salt, stored key, server key, iterations; never the password) are kept
 *       in ZooKeeper under {@code /config/users/<user>} and mirrored into a kafka-clients {@link
 *       org.apache.kafka.common.security.authenticator.CredentialCache} with one cache per
 *       mechanism ({@code SCRAM-SHA-256}, {@code SCRAM-SHA-512}); the SCRAM SASL server reads that
 *       cache, and SASL PLAIN and the gateway's HTTP Basic check a password against it with {@link
 *       io.brook.cluster.security.ScramPasswords}.
 *       {@link io.brook.cluster.security.ScramCredentialStore} writes them (Kafka's
 *       AlterUserScramCredentials semantics) and keeps the cache current with a watch.
 *   <li>Authorization is Kafka's {@link org.apache.kafka.server.authorizer.Authorizer} interface,
 *       with Kafka's ACL model: {@link io.brook.cluster.security.AclAuthorizer} over ACLs kept in
 *       Kafka's ZooKeeper paths ({@code /kafka-acl}, {@code /kafka-acl-extended/prefixed}) and
 *       mirrored in memory by watches, so that a decision never waits on ZooKeeper.
 * </ul>
 */
package io.brook.cluster.security;
