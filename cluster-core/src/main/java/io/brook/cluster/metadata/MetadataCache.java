package io.brook.cluster.metadata;

import io.brook.cluster.zk.BrokerIdZNode;
import io.brook.cluster.zk.ClusterIdZNode;
import io.brook.cluster.zk.ControlledShutdownZNode;
import io.brook.cluster.zk.ControllerZNode;
import io.brook.cluster.zk.TopicConfigZNode;
import io.brook.cluster.zk.TopicPartitionStateZNode;
import io.brook.cluster.zk.TopicZNode;
import io.brook.cluster.zk.ZkPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's view of the cluster metadata, kept current by Curator {@link CuratorCache} watches
 * on {@code /brokers}, {@code /config/topics}, {@code /admin/delete_topics}, {@code
 * /admin/controlled_shutdown}, {@code /controller} and {@code /cluster/id}. Queries never touch ZooKeeper: they read the current {@link
 * MetadataImage}, one volatile reference swapped whole on every change, so a reader sees either
 * the old image or the new one, never a mixture.
 *
 * <p>Every watch event only requests a rebuild; one notification thread rebuilds the image from
 * the caches' current contents, so a burst of events (a topic with 1,000 partitions being created)
 * collapses into few rebuilds. It then publishes the image, tells the {@link MetadataListener}s
 * what changed (by comparing the two images) and completes the waiters of {@link #await} whose
 * condition now holds. A znode that cannot be decoded is logged and left out.
 *
 * <p>Listeners added before {@link #start} see the first image as changes from an empty one (a
 * state for every partition), which is how a starting broker learns which logs to open.
 *
 * <p>Threading: thread-safe. {@link #start} and {@link #close} are called once each; the queries
 * and {@link #await} from any thread; listeners are called on the notification thread.
 */
public final class MetadataCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataCache.class);

    private static final String[] WATCHED = {
        ZkPaths.BROKERS,
        ZkPaths.TOPIC_CONFIGS,
        ZkPaths.DELETE_TOPICS,
        ZkPaths.CONTROLLED_SHUTDOWN,
        ZkPaths.CONTROLLER,
        ZkPaths.CLUSTER_ID
    };

    private final List<CuratorCache> caches = new ArrayList<>();
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    private final AtomicBoolean rebuildPending = new AtomicBoolean();
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private final CountDownLatch initialized;
    private final ExecutorService notifier;
    private volatile MetadataImage image = MetadataImage.EMPTY;

    private enum Lifecycle {
        NEW,
        STARTED,
        CLOSED
    }

    private record Waiter(Predicate<MetadataImage> condition, CompletableFuture<MetadataImage> future) {}

    public MetadataCache(CuratorFramework curator) {
        for (String path : WATCHED) {
            caches.add(CuratorCache.build(curator, path));
        }
        this.initialized = new CountDownLatch(caches.size());
        this.notifier = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "brook-metadata-cache");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the watches and waits until each has loaded its subtree once and the first image is
     * published.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException if ZooKeeper did not answer in time
     */
    public void start(Duration timeout) {
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.STARTED)) {
            throw new IllegalStateException("already started");
        }
        for (CuratorCache cache : caches) {
            cache.listenable()
                    .addListener(CuratorCacheListener.builder()
                            .forAll((type, oldData, data) -> requestRebuild())
                            .forInitialized(initialized::countDown)
                            .build());
            cache.start();
        }
        try {
            if (!initialized.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new org.apache.kafka.common.errors.TimeoutException(
                        "metadata not loaded from ZooKeeper within " + timeout);
            }
            notifier.submit(this::rebuild).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            throw new KafkaException("first metadata image failed", e.getCause());
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("first metadata image not built in time", e);
        }
    }

    /** Adds a listener; see {@link MetadataListener} for when and where it is called. */
    public void addListener(MetadataListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public void removeListener(MetadataListener listener) {
        listeners.remove(listener);
    }

    /** The current image: take it once per request and answer from it. */
    public MetadataImage image() {
        return image;
    }

    public Optional<String> clusterId() {
        return image.clusterId();
    }

    public OptionalInt controllerId() {
        return image.controllerId();
    }

    public List<BrokerRegistration> brokers() {
        return List.copyOf(image.brokers().values());
    }

    public Optional<BrokerRegistration> broker(int id) {
        return image.broker(id);
    }

    public Set<String> topicNames() {
        return image.topicNames();
    }

    public Optional<TopicAssignment> topic(String name) {
        return image.topic(name);
    }

    public Optional<Uuid> topicId(String name) {
        return image.topicId(name);
    }

    public Optional<PartitionState> partitionState(TopicPartition tp) {
        return image.partitionState(tp);
    }

    public Map<String, String> topicConfig(String name) {
        return image.topicConfig(name);
    }

    /**
     * Waits until an image satisfies {@code condition}, e.g. until a write this broker made has
     * come back through the watches.
     *
     * @return the first image satisfying it, or empty on timeout
     */
    public Optional<MetadataImage> await(Predicate<MetadataImage> condition, Duration timeout) {
        Waiter waiter = new Waiter(condition, new CompletableFuture<>());
        waiters.add(waiter); // before the check, so that no publication can slip between the two
        try {
            MetadataImage current = image;
            if (condition.test(current)) {
                return Optional.of(current);
            }
            return Optional.of(waiter.future().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            throw new KafkaException(e.getCause());
        } finally {
            waiters.remove(waiter);
        }
    }

    /**
     * {@link #await} without blocking: the future completes with the first image satisfying
     * {@code condition}, or with empty after {@code timeout}. It completes on the notification
     * thread (or a timer thread, on timeout), so what is chained to it must be quick.
     */
    public CompletableFuture<Optional<MetadataImage>> awaitAsync(Predicate<MetadataImage> condition, Duration timeout) {
        Waiter waiter = new Waiter(condition, new CompletableFuture<>());
        waiters.add(waiter); // before the check, so that no publication can slip between the two
        MetadataImage current = image;
        if (condition.test(current)) {
            waiter.future().complete(current);
        }
        return waiter.future()
                .orTimeout(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS)
                .handle((found, error) -> {
                    waiters.remove(waiter);
                    if (error == null) {
                        return Optional.of(found);
                    }
                    if (error instanceof TimeoutException) {
                        return Optional.empty();
                    }
                    throw new KafkaException(error);
                });
    }

    /**
     * Waits until the topic and a state for each of its partitions are visible (CreateTopics and
     * CreatePartitions answer after this).
     */
    public boolean awaitTopic(String name, Duration timeout) {
        return await(i -> i.isTopicReady(name), timeout).isPresent();
    }

    /** Waits until the topic is gone (DeleteTopics answers after this). */
    public boolean awaitTopicDeleted(String name, Duration timeout) {
        return await(i -> i.topic(name).isEmpty(), timeout).isPresent();
    }

    @Override
    public void close() {
        if (lifecycle.getAndSet(Lifecycle.CLOSED) == Lifecycle.CLOSED) {
            return;
        }
        caches.forEach(CuratorCache::close);
        notifier.shutdownNow();
    }

    private void requestRebuild() {
        // Before every watch has loaded its subtree, start() builds the first image itself, so
        // that listeners never see a half-loaded cluster (topics without their states).
        if (lifecycle.get() == Lifecycle.STARTED
                && initialized.getCount() == 0
                && rebuildPending.compareAndSet(false, true)) {
            try {
                notifier.execute(this::rebuild);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** On the notification thread only. */
    private void rebuild() {
        rebuildPending.set(false); // events after this point schedule another rebuild
        MetadataImage previous = image;
        MetadataImage next = read(previous.sequence() + 1);
        image = next;
        notifyListeners(previous, next);
        for (Waiter waiter : waiters) {
            if (waiter.condition().test(next)) {
                waiter.future().complete(next);
            }
        }
    }

    private MetadataImage read(long sequence) {
        Optional<String> clusterId = Optional.empty();
        OptionalInt controllerId = OptionalInt.empty();
        Map<Integer, BrokerRegistration> brokers = new HashMap<>();
        Map<String, TopicAssignment> topics = new HashMap<>();
        Map<TopicPartition, PartitionState> states = new HashMap<>();
        Map<String, Map<String, String>> configs = new HashMap<>();
        Set<String> marked = new HashSet<>();
        Set<Integer> shuttingDown = new HashSet<>();
        for (CuratorCache cache : caches) {
            for (ChildData node : (Iterable<ChildData>) cache.stream()::iterator) {
                String path = node.getPath();
                String[] parts = path.substring(1).split("/");
                try {
                    if (path.equals(ZkPaths.CLUSTER_ID)) {
                        clusterId = Optional.of(ClusterIdZNode.decode(node.getData()));
                    } else if (path.equals(ZkPaths.CONTROLLER)) {
                        controllerId = OptionalInt.of(ControllerZNode.decode(node.getData()));
                    } else if (parts.length == 3 && path.startsWith(ZkPaths.BROKER_IDS + "/")) {
                        BrokerRegistration broker = BrokerIdZNode.decode(node.getData());
                        brokers.put(broker.id(), broker);
                    } else if (parts.length == 3 && path.startsWith(ZkPaths.TOPICS + "/")) {
                        topics.put(parts[2], TopicZNode.decode(parts[2], node.getData()));
                    } else if (parts.length == 6 && path.startsWith(ZkPaths.TOPICS + "/") && parts[5].equals("state")) {
                        states.put(
                                new TopicPartition(parts[2], Integer.parseInt(parts[4])),
                                TopicPartitionStateZNode.decode(
                                        node.getData(), node.getStat().getVersion()));
                    } else if (parts.length == 3 && path.startsWith(ZkPaths.TOPIC_CONFIGS + "/")) {
                        configs.put(parts[2], TopicConfigZNode.decode(node.getData()));
                    } else if (parts.length == 3 && path.startsWith(ZkPaths.DELETE_TOPICS + "/")) {
                        marked.add(parts[2]);
                    } else if (parts.length == 3 && path.startsWith(ZkPaths.CONTROLLED_SHUTDOWN + "/")) {
                        ControlledShutdownZNode.decode(node.getData());
                        shuttingDown.add(Integer.parseInt(parts[2]));
                    }
                } catch (RuntimeException e) {
                    LOG.error("Leaving out znode {} that cannot be read", path, e);
                }
            }
        }
        return new MetadataImage(
                clusterId, controllerId, brokers, topics, states, configs, marked, shuttingDown, sequence);
    }

    private void notifyListeners(MetadataImage before, MetadataImage after) {
        if (listeners.isEmpty()) {
            return;
        }
        if (!before.brokers().keySet().equals(after.brokers().keySet())) {
            Set<Integer> live = Set.copyOf(after.brokers().keySet());
            each(l -> l.onBrokersChanged(live));
        }
        for (TopicAssignment old : before.topics().values()) {
            Optional<Uuid> now = after.topicId(old.name());
            if (now.isEmpty() || !now.get().equals(old.topicId())) {
                each(l -> l.onTopicDeleted(old.name()));
            }
        }
        after.partitionStates().forEach((tp, state) -> {
            boolean sameTopic = before.topicId(tp.topic()).equals(after.topicId(tp.topic()));
            PartitionState old = sameTopic ? before.partitionState(tp).orElse(null) : null;
            if (!state.sameLeaderAndIsr(old)) {
                each(l -> l.onPartitionStateChanged(tp, state));
            }
        });
        for (String topic : after.topicNames()) {
            boolean sameTopic = before.topicId(topic).equals(after.topicId(topic));
            Map<String, String> config = after.topicConfig(topic);
            if (!config.equals(sameTopic ? before.topicConfig(topic) : Map.of())) {
                each(l -> l.onTopicConfigChanged(topic, config));
            }
        }
        each(l -> l.onImage(after));
    }

    private void each(java.util.function.Consumer<MetadataListener> call) {
        for (MetadataListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.error("Metadata listener {} failed", listener, e);
            }
        }
    }
}
