package io.brook.cluster.zk;

/**
 * A value read from a znode with the znode's version at the time, to be named by the conditional
 * write that replaces it ({@code setData(path, bytes, zkVersion)}).
 */
public record Versioned<T>(T value, int zkVersion) {}
