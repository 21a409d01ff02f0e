/**
 * The gateway's security: who an HTTP or WebSocket user is, and what the brokers' ACLs let them
 * do. Off by default ({@code brook.gateway.security.enabled=false}): everything is served as
 * before. On, the gateway reads the same users (SCRAM credentials) and ACLs as the brokers from
 * ZooKeeper, through cluster-core's {@code io.brook.cluster.security}, and:
 *
 * <ul>
 *   <li>authenticates each request (stateless): HTTP Basic checked against the SCRAM credentials,
 *       or a short-lived bearer token from {@code POST /v3/auth/token} ({@link TokenService}), sent
 *       as {@code Authorization: Bearer <token>} or, from a browser's WebSocket, as the
 *       subprotocols {@code brook, brook.bearer.<token>} ({@link Credentials});
 *   <li>authorizes each operation with Kafka's {@code Authorizer} as principal {@code
 *       User:<name>} from the client's address, before any broker call ({@link AclRules}, {@link
 *       GatewayAuthorization});
 *   <li>answers 401 and 403 as distinct problem+json ({@link SecurityProblems}), slows repeated
 *       failed logins per address ({@link LoginThrottle}), and writes failed authentications and
 *       denials to the {@code brook.audit} logger ({@link AuditLog}).
 * </ul>
 *
 * <p>The gateway's own Kafka clients authenticate to the brokers as a service principal ({@code
 * brook.gateway.kafka.*}) that the brokers list in their super users: the brokers trust the gateway,
 * and the gateway checks its users itself with the same ACLs. Passwords and tokens are never logged
 * and never part of an error message.
 */
package io.brook.gateway.security;
