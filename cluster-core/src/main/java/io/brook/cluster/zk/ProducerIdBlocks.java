package io.brook.cluster.zk;

import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Cluster-unique blocks of producer ids, reserved in {@code /latest_producer_id_block} as
 * Kafka's ZooKeeper mode did: the znode holds the end (exclusive) of the last block handed out,
 * as {@code {"version":1,"block_end":N}}; a broker reserves the next block with a write
 * conditional on the version it read, and retries when another broker won.
 *
 * <p>Thread-safe; blocking (one or a few ZooKeeper round trips per block).
 */
public final class ProducerIdBlocks {

    public static final String PATH = "/latest_producer_id_block";
    private static final int ATTEMPTS = 20;

    private final CuratorFramework curator;

    public ProducerIdBlocks(CuratorFramework curator) {
        this.curator = curator;
    }

    /**
     * Reserves {@code size} ids and returns the first.
     *
     * @throws CoordinatorLoadInProgressException ZooKeeper is unreachable or too contended; the
     *     client retries InitProducerId
     */
    public long reserveBlock(int size) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                Stat stat = curator.checkExists().forPath(PATH);
                if (stat == null) {
                    try {
                        curator.create().creatingParentsIfNeeded().forPath(PATH, encode(size));
                        return 0;
                    } catch (KeeperException.NodeExistsException raced) {
                        continue;
                    }
                }
                Stat read = new Stat();
                long end = decode(curator.getData().storingStatIn(read).forPath(PATH));
                try {
                    curator.setData().withVersion(read.getVersion()).forPath(PATH, encode(end + size));
                    return end;
                } catch (KeeperException.BadVersionException raced) {
                    // Another broker reserved a block first; read again.
                }
            } catch (Exception e) {
                throw new CoordinatorLoadInProgressException("cannot reserve producer ids: " + e.getMessage(), e);
            }
        }
        throw new CoordinatorLoadInProgressException("cannot reserve producer ids: too many concurrent reservations");
    }

    static byte[] encode(long blockEnd) {
        return ZkJson.bytes(ZkJson.object(1).put("block_end", blockEnd));
    }

    static long decode(byte[] bytes) {
        return ZkJson.required(ZkJson.parse(bytes, PATH, 1), "block_end", PATH).asLong();
    }
}
