package io.brook.cluster.security;

import io.brook.cluster.zk.AclZNode;
import io.brook.cluster.zk.ZkClusterClient;
import io.brook.cluster.zk.ZkPaths;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACLs of {@link AclZNode}s, written with conditional updates and read from an in-memory
 * mirror kept by two {@link CuratorCache}s (literal and prefixed store).
 *
 * <p>The mirror maps each pattern to its entries and the {@code mzxid} of the znode state they
 * came from. ZooKeeper's zxids grow with every write of the ensemble, so an event is applied only
 * if it is newer than what the mirror holds: this lets a writer put its own write into the mirror
 * at once (a DescribeAcls right after CreateAcls on the same broker sees it, as with Kafka's
 * authorizer), while a watch event about an older state that arrives later changes nothing.
 *
 * <p>Lifecycle: {@code NEW -> start -> STARTED -> close -> CLOSED}; writes work in any state, the
 * mirror only once started. Threading: thread-safe. Lookups read a {@link ConcurrentHashMap} and never block; {@link
 * #update} blocks on ZooKeeper.
 */
final class ZkAclStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ZkAclStore.class);

    /**
     * Entries of a pattern as of the znode state with this {@code mzxid}; {@code deleted} marks a
     * tombstone (the znode in that state was deleted), kept so that a late event about that state
     * cannot bring the entries back. A znode created again has a larger {@code mzxid}.
     */
    private record Entries(Set<AccessControlEntry> aces, long mzxid, boolean deleted) {

        boolean supersedes(Entries held) {
            return mzxid > held.mzxid || (mzxid == held.mzxid && !held.deleted);
        }
    }

    private final CuratorFramework curator;
    private final List<CuratorCache> watches;
    private final Map<ResourcePattern, Entries> mirror = new ConcurrentHashMap<>();
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);

    private enum Lifecycle {
        NEW,
        STARTED,
        CLOSED
    }

    ZkAclStore(CuratorFramework curator) {
        this.curator = curator;
        this.watches = List.of(
                CuratorCache.build(curator, ZkPaths.LITERAL_ACLS), CuratorCache.build(curator, ZkPaths.PREFIXED_ACLS));
    }

    void start(Duration timeout) {
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.STARTED)) {
            throw new IllegalStateException("already started");
        }
        CountDownLatch initialized = new CountDownLatch(watches.size());
        for (CuratorCache watch : watches) {
            watch.listenable()
                    .addListener(CuratorCacheListener.builder()
                            .forCreatesAndChanges((oldData, data) -> onWritten(data))
                            .forDeletes(this::onDeleted)
                            .forInitialized(initialized::countDown)
                            .build());
            watch.start();
        }
        try {
            if (!initialized.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new org.apache.kafka.common.errors.TimeoutException(
                        "ACLs not loaded from ZooKeeper within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    @Override
    public void close() {
        if (lifecycle.getAndSet(Lifecycle.CLOSED) == Lifecycle.STARTED) {
            watches.forEach(CuratorCache::close);
        }
    }

    /** The entries of exactly this pattern (empty if none). */
    Set<AccessControlEntry> get(ResourcePattern pattern) {
        Entries entries = mirror.get(pattern);
        return entries == null ? Set.of() : entries.aces();
    }

    /** Every pattern with its entries, as the mirror holds them now. */
    Map<ResourcePattern, Set<AccessControlEntry>> all() {
        Map<ResourcePattern, Set<AccessControlEntry>> all = new java.util.HashMap<>();
        mirror.forEach((pattern, entries) -> {
            if (!entries.aces().isEmpty()) {
                all.put(pattern, entries.aces());
            }
        });
        return all;
    }

    int size() {
        return mirror.values().stream().mapToInt(e -> e.aces().size()).sum();
    }

    /**
     * Replaces the entries of a pattern by {@code change} of the current ones: read, change,
     * write naming the version read, again on a concurrent change. An empty result deletes the
     * znode. The mirror takes the result at once.
     *
     * @return the entries now stored
     */
    Set<AccessControlEntry> update(ResourcePattern pattern, UnaryOperator<Set<AccessControlEntry>> change) {
        String path = AclZNode.path(pattern);
        while (true) {
            Stat stat = new Stat();
            Optional<Set<AccessControlEntry>> current = read(path, stat);
            Set<AccessControlEntry> before = current.orElse(Set.of());
            Set<AccessControlEntry> after = Set.copyOf(change.apply(new HashSet<>(before)));
            if (after.equals(before)) {
                return before;
            }
            try {
                if (current.isEmpty()) {
                    Stat created = new Stat();
                    curator.create()
                            .storingStatIn(created)
                            .creatingParentsIfNeeded()
                            .forPath(path, AclZNode.encode(after));
                    apply(pattern, new Entries(after, created.getMzxid(), false));
                } else if (after.isEmpty()) {
                    curator.delete().withVersion(stat.getVersion()).forPath(path);
                    remove(pattern, stat.getMzxid());
                } else {
                    Stat written =
                            curator.setData().withVersion(stat.getVersion()).forPath(path, AclZNode.encode(after));
                    apply(pattern, new Entries(after, written.getMzxid(), false));
                }
                return after;
            } catch (KeeperException.NodeExistsException
                    | KeeperException.BadVersionException
                    | KeeperException.NoNodeException e) {
                // another writer changed this pattern since the read: read again
            } catch (Exception e) {
                throw ZkClusterClient.translate("write " + path, e);
            }
        }
    }

    private Optional<Set<AccessControlEntry>> read(String path, Stat stat) {
        try {
            return Optional.of(
                    AclZNode.decode(curator.getData().storingStatIn(stat).forPath(path)));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw ZkClusterClient.translate("read " + path, e);
        }
    }

    private void onWritten(ChildData data) {
        Optional<ResourcePattern> pattern = ZkPaths.aclPattern(data.getPath());
        if (pattern.isEmpty()) {
            return; // a store root or a resource-type parent
        }
        try {
            apply(
                    pattern.get(),
                    new Entries(AclZNode.decode(data.getData()), data.getStat().getMzxid(), false));
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring an undecodable ACL znode {}: {}", data.getPath(), e.getMessage());
        }
    }

    private void onDeleted(ChildData oldData) {
        ZkPaths.aclPattern(oldData.getPath())
                .ifPresent(p -> remove(p, oldData.getStat().getMzxid()));
    }

    private void apply(ResourcePattern pattern, Entries entries) {
        mirror.merge(pattern, entries, (held, fresh) -> fresh.supersedes(held) ? fresh : held);
    }

    /** Tombstones the pattern unless the mirror already holds a newer state of it. */
    private void remove(ResourcePattern pattern, long deletedMzxid) {
        apply(pattern, new Entries(Set.of(), deletedMzxid, true));
    }
}
