package io.brook.cluster.security;

import io.brook.cluster.zk.UserScramCredentialsZNode;
import io.brook.cluster.zk.ZkClusterClient;
import io.brook.cluster.zk.ZkPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramCredentialUtils;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SCRAM credentials in ZooKeeper ({@link UserScramCredentialsZNode}, {@code /config/users/<user>}),
 * mirrored into a kafka-clients {@link CredentialCache} so that authentication never reads
 * ZooKeeper on the request path.
 *
 * <p>Writes follow Kafka's AlterUserScramCredentials: one mechanism of one user is upserted or
 * deleted at a time, as a conditional update of the user's znode (read, change, {@code setData}
 * naming the version read; retried on a concurrent change), so that two writers on one user never
 * lose each other's mechanism. A user left with no key at all loses their znode. Reads for admin
 * tools ({@link #describe}) go to ZooKeeper, so they see every write that has returned.
 *
 * <p>The mirror is a Curator {@link CuratorCache} on {@code /config/users}: a created or changed
 * znode puts each of the user's SCRAM credentials into the cache's per-mechanism map and removes
 * the mechanisms it no longer has; a deleted one removes the user from every map. A znode that
 * cannot be decoded is logged (by path only) and leaves the cache as it was.
 *
 * <p>Lifecycle: {@code NEW -> start -> STARTED -> close -> CLOSED}; writes and reads work in any
 * state, only the mirror needs {@link #start}. Threading: thread-safe; writes and {@link #describe}
 * block on ZooKeeper, so call them off network threads; the cache is updated on Curator's event
 * thread.
 */
public final class ScramCredentialStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScramCredentialStore.class);

    private final CuratorFramework curator;
    private final CredentialCache credentials;
    private final CuratorCache watch;
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);

    private enum Lifecycle {
        NEW,
        STARTED,
        CLOSED
    }

    /**
     * @param credentials the cache to keep current, with a map per SCRAM mechanism (as {@link
     *     ScramPasswords#newCache()} makes it)
     */
    public ScramCredentialStore(CuratorFramework curator, CredentialCache credentials) {
        this.curator = curator;
        this.credentials = credentials;
        this.watch = CuratorCache.build(curator, ZkPaths.USER_CONFIGS);
    }

    /** The cache this store keeps current. */
    public CredentialCache credentials() {
        return credentials;
    }

    /**
     * Starts mirroring and waits until every user stored at start-up is in the cache.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException if ZooKeeper did not answer in time
     */
    public void start(Duration timeout) {
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.STARTED)) {
            throw new IllegalStateException("already started");
        }
        CountDownLatch initialized = new CountDownLatch(1);
        watch.listenable()
                .addListener(CuratorCacheListener.builder()
                        .forCreatesAndChanges((oldData, data) -> mirror(data))
                        .forDeletes(this::forget)
                        .forInitialized(initialized::countDown)
                        .build());
        watch.start();
        try {
            if (!initialized.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new org.apache.kafka.common.errors.TimeoutException(
                        "SCRAM credentials not loaded from ZooKeeper within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    @Override
    public void close() {
        if (lifecycle.getAndSet(Lifecycle.CLOSED) == Lifecycle.STARTED) {
            watch.close();
        }
    }

    /**
     * Checks a user name as Kafka's AlterUserScramCredentials does: it must not be empty. Any
     * other character is allowed; the znode name is encoded ({@link ZkPaths#encodeName}).
     *
     * @throws UnacceptableCredentialException if it is empty
     */
    public static void validateUser(String user) {
        if (user == null || user.isEmpty()) {
            throw new UnacceptableCredentialException("Username must not be empty");
        }
    }

    /**
     * Adds or replaces one mechanism's credential of a user.
     *
     * @throws UnacceptableCredentialException if the user name is empty or the iterations lie
     *     outside the mechanism's bounds
     */
    public void upsert(String user, ScramMechanism mechanism, ScramCredential credential) {
        validateUser(user);
        if (credential.iterations() < mechanism.minIterations()
                || credential.iterations() > mechanism.maxIterations()) {
            throw new UnacceptableCredentialException("Iterations for " + mechanism.mechanismName() + " must lie in ["
                    + mechanism.minIterations() + ", " + mechanism.maxIterations() + "]");
        }
        String value = ScramCredentialUtils.credentialToString(credential);
        update(user, config -> {
            config.put(mechanism.mechanismName(), value);
            return true;
        });
    }

    /**
     * Stores the credentials if the user has no SCRAM credential at all yet (the bootstrap admin:
     * a password changed later by an administrator is not overwritten at the next start).
     *
     * @return whether they were stored
     */
    public boolean createIfAbsent(String user, Map<ScramMechanism, ScramCredential> byMechanism) {
        validateUser(user);
        return update(user, config -> {
            for (ScramMechanism mechanism : ScramMechanism.values()) {
                if (config.containsKey(mechanism.mechanismName())) {
                    return false;
                }
            }
            byMechanism.forEach((mechanism, credential) ->
                    config.put(mechanism.mechanismName(), ScramCredentialUtils.credentialToString(credential)));
            return true;
        });
    }

    /**
     * Deletes one mechanism's credential of a user.
     *
     * @throws ResourceNotFoundException if the user has no credential of that mechanism (Kafka's
     *     answer to deleting what does not exist)
     */
    public void delete(String user, ScramMechanism mechanism) {
        validateUser(user);
        boolean deleted = update(user, config -> config.remove(mechanism.mechanismName()) != null);
        if (!deleted) {
            throw new ResourceNotFoundException("Attempt to delete a user credential that does not exist");
        }
    }

    /** Every user with at least one SCRAM credential, by name, with mechanism and iterations. */
    public Map<String, List<ScramCredentialInfo>> describe() {
        Map<String, List<ScramCredentialInfo>> all = new TreeMap<>();
        List<String> children;
        try {
            children = curator.getChildren().forPath(ZkPaths.USER_CONFIGS);
        } catch (KeeperException.NoNodeException e) {
            return all;
        } catch (Exception e) {
            throw ZkClusterClient.translate("list " + ZkPaths.USER_CONFIGS, e);
        }
        for (String child : children) {
            String user = ZkPaths.decodeName(child);
            describe(user).ifPresent(infos -> all.put(user, infos));
        }
        return all;
    }

    /** A user's SCRAM credentials (mechanism and iterations), or empty if they have none. */
    public Optional<List<ScramCredentialInfo>> describe(String user) {
        validateUser(user);
        Map<String, String> config = read(user, new Stat()).orElse(Map.of());
        List<ScramCredentialInfo> infos = new ArrayList<>();
        scram(config)
                .forEach((mechanism, credential) -> infos.add(new ScramCredentialInfo(
                        org.apache.kafka.clients.admin.ScramMechanism.fromMechanismName(mechanism.mechanismName()),
                        credential.iterations())));
        return infos.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(infos));
    }

    // ---- ZooKeeper -------------------------------------------------------------------------

    private interface Change {
        /** Changes the config in place; answers whether it changed anything. */
        boolean apply(Map<String, String> config);
    }

    /** Read, change, conditional write; again from the read when another writer came first. */
    private boolean update(String user, Change change) {
        String path = UserScramCredentialsZNode.path(user);
        while (true) {
            Stat stat = new Stat();
            Optional<Map<String, String>> current = read(user, stat);
            Map<String, String> config = new TreeMap<>(current.orElse(Map.of()));
            if (!change.apply(config)) {
                return false;
            }
            try {
                if (current.isEmpty()) {
                    curator.create().creatingParentsIfNeeded().forPath(path, UserScramCredentialsZNode.encode(config));
                } else if (config.isEmpty()) {
                    curator.delete().withVersion(stat.getVersion()).forPath(path);
                } else {
                    curator.setData()
                            .withVersion(stat.getVersion())
                            .forPath(path, UserScramCredentialsZNode.encode(config));
                }
                return true;
            } catch (KeeperException.NodeExistsException
                    | KeeperException.BadVersionException
                    | KeeperException.NoNodeException e) {
                // another writer changed the user since the read: read again
            } catch (Exception e) {
                throw ZkClusterClient.translate("write " + ZkPaths.USER_CONFIGS + " of a user", e);
            }
        }
    }

    private Optional<Map<String, String>> read(String user, Stat stat) {
        try {
            byte[] data = curator.getData().storingStatIn(stat).forPath(UserScramCredentialsZNode.path(user));
            return Optional.of(UserScramCredentialsZNode.decode(data));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw ZkClusterClient.translate("read " + ZkPaths.USER_CONFIGS + " of a user", e);
        }
    }

    /** The SCRAM entries of a user's config; others (quotas) and malformed ones are skipped. */
    private static Map<ScramMechanism, ScramCredential> scram(Map<String, String> config) {
        Map<ScramMechanism, ScramCredential> byMechanism = new EnumMap<>(ScramMechanism.class);
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            String value = config.get(mechanism.mechanismName());
            if (value != null) {
                try {
                    byMechanism.put(mechanism, ScramCredentialUtils.credentialFromString(value));
                } catch (RuntimeException e) {
                    LOG.warn(
                            "Skipping a malformed {} credential in {}",
                            mechanism.mechanismName(),
                            ZkPaths.USER_CONFIGS);
                }
            }
        }
        return byMechanism;
    }

    // ---- mirror ----------------------------------------------------------------------------

    private static Optional<String> userOf(ChildData data) {
        String path = data.getPath();
        if (!path.startsWith(ZkPaths.USER_CONFIGS + "/")) {
            return Optional.empty();
        }
        String child = path.substring(ZkPaths.USER_CONFIGS.length() + 1);
        return child.contains("/") ? Optional.empty() : Optional.of(ZkPaths.decodeName(child));
    }

    private void mirror(ChildData data) {
        Optional<String> user = userOf(data);
        if (user.isEmpty()) {
            return;
        }
        Map<ScramMechanism, ScramCredential> byMechanism;
        try {
            byMechanism = scram(UserScramCredentialsZNode.decode(data.getData()));
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring an undecodable user znode {}: {}", data.getPath(), e.getMessage());
            return;
        }
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            CredentialCache.Cache<ScramCredential> cache = cacheOf(mechanism);
            ScramCredential credential = byMechanism.get(mechanism);
            if (credential == null) {
                cache.remove(user.get());
            } else {
                cache.put(user.get(), credential);
            }
        }
    }

    private void forget(ChildData oldData) {
        userOf(oldData).ifPresent(user -> {
            for (ScramMechanism mechanism : ScramMechanism.values()) {
                cacheOf(mechanism).remove(user);
            }
        });
    }

    private CredentialCache.Cache<ScramCredential> cacheOf(ScramMechanism mechanism) {
        CredentialCache.Cache<ScramCredential> cache =
                credentials.cache(mechanism.mechanismName(), ScramCredential.class);
        if (cache == null) {
            cache = credentials.createCache(mechanism.mechanismName(), ScramCredential.class);
        }
        return cache;
    }
}
