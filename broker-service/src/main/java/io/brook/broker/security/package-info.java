/**
 * Authentication on the broker's listeners: TLS contexts from Kafka's {@code ssl.*} settings
 * ({@link io.brook.broker.security.TlsContexts}), the SASL exchange of a connection ({@link
 * io.brook.broker.security.SaslAuthenticator}, with kafka-clients' PLAIN and SCRAM servers over
 * the one {@link org.apache.kafka.common.security.authenticator.CredentialCache}), the principal
 * each connection gets ({@link io.brook.broker.security.Principals}: Kafka's default principal
 * builder) and the inter-broker client's channels ({@link
 * io.brook.broker.security.InterBrokerChannels}).
 *
 * <p>The principal goes into the {@link org.apache.kafka.common.requests.RequestContext} of every
 * request; authorization reads it there. Failed authentications go to the audit logger {@code
 * brook.audit} ({@link io.brook.broker.security.AuditLog}), with the user name attempted, the
 * client address and the mechanism, never a password.
 */
package io.brook.broker.security;
