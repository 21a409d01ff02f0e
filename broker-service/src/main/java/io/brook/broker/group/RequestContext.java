package io.brook.broker.group;

/**
 * What the coordinator needs to know about a request beyond its body: the version it was sent
 * with (several responses differ by version, e.g. JoinGroup v4+ answers a new dynamic member with
 * {@code MEMBER_ID_REQUIRED}), and the client's id and host, which are stored with each member and
 * shown by DescribeGroups. The protocol layer maps its own request context onto this one.
 */
public record RequestContext(short apiVersion, String clientId, String clientHost) {}
