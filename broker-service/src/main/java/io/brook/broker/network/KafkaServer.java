package io.brook.broker.network;

import io.brook.broker.protocol.HandlerRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka listener: a Netty server whose pipeline per connection is, on TLS listeners, an {@code
 * SslHandler}; a size-limited frame decoder (a 4-byte big-endian length, then the request); an idle
 * timer; on TLS listeners a {@link ChunkedWriteHandler}; and a {@link KafkaConnection}. The
 * listener's {@link ListenerSecurity} says which, and which SASL mechanisms it serves. A broker
 * runs one per configured listener.
 *
 * <p>NIO transport on purpose: on a plaintext NIO channel Netty gives a {@link SendRegion} the
 * socket channel itself, so fetch responses leave segment files with {@code sendfile}. TLS must
 * encrypt every byte: there responses go out as {@link SendChunks} through the {@code
 * SslHandler}.
 *
 * <p>Life cycle: {@link #start} binds; {@link #stop} stops accepting, stops reading from every
 * connection, waits up to the shutdown timeout for the requests in flight to be answered, then
 * closes everything. Thread-safe.
 */
public final class KafkaServer {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaServer.class);

    /**
     * Settings of the listener. {@code socketSendBufferBytes} and {@code socketReceiveBufferBytes}
     * are Kafka's {@code socket.send.buffer.bytes} and {@code socket.receive.buffer.bytes}: the
     * SO_SNDBUF and SO_RCVBUF of each client connection, -1 to leave them to the operating system's
     * autotuning.
     */
    public record Settings(
            String host,
            int port,
            int maxRequestBytes,
            Duration connectionsMaxIdle,
            int networkThreads,
            int ioThreads,
            Duration shutdownTimeout,
            int socketSendBufferBytes,
            int socketReceiveBufferBytes) {

        /** Socket buffers left to the operating system. */
        public Settings(
                String host,
                int port,
                int maxRequestBytes,
                Duration connectionsMaxIdle,
                int networkThreads,
                int ioThreads,
                Duration shutdownTimeout) {
            this(host, port, maxRequestBytes, connectionsMaxIdle, networkThreads, ioThreads, shutdownTimeout, -1, -1);
        }
    }

    private final Settings settings;
    private final HandlerRegistry registry;
    private final ListenerSecurity security;
    private final NetworkObserver observer;
    private final Set<ConnectionRef> connections = ConcurrentHashMap.newKeySet();
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ExecutorService requestPool;
    private Channel serverChannel;
    private volatile int boundPort = -1;

    private record ConnectionRef(Channel channel, KafkaConnection connection) {}

    /** A PLAINTEXT listener. */
    public KafkaServer(Settings settings, HandlerRegistry registry) {
        this(settings, registry, ListenerSecurity.plaintext());
    }

    public KafkaServer(Settings settings, HandlerRegistry registry, ListenerSecurity security) {
        this(settings, registry, security, NetworkObserver.NONE);
    }

    /** A listener that also reports request times and thread busy times to {@code observer}. */
    public KafkaServer(
            Settings settings, HandlerRegistry registry, ListenerSecurity security, NetworkObserver observer) {
        this.settings = settings;
        this.registry = registry;
        this.security = security;
        this.observer = observer;
    }

    /** The listener's name and security. */
    public ListenerSecurity security() {
        return security;
    }

    public synchronized void start() throws InterruptedException {
        if (serverChannel != null) {
            return;
        }
        bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(settings.networkThreads(), NioIoHandler.newFactory());
        AtomicInteger threadCount = new AtomicInteger();
        requestPool = new ThreadPoolExecutor(
                settings.ioThreads(), settings.ioThreads(), 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "brook-request-handler-" + threadCount.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        int maxFrame = settings.maxRequestBytes();
        long idleSeconds = Math.max(1, settings.connectionsMaxIdle().toSeconds());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true);
        // A fixed send buffer, as Kafka's socket.send.buffer.bytes: with the kernel's autotuning a
        // 6 MB fetch response was slower to reach a consumer (docs/benchmarks.md).
        if (settings.socketSendBufferBytes() > 0) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, settings.socketSendBufferBytes());
        }
        if (settings.socketReceiveBufferBytes() > 0) {
            bootstrap.childOption(ChannelOption.SO_RCVBUF, settings.socketReceiveBufferBytes());
        }
        bootstrap.childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                KafkaConnection connection = new KafkaConnection(registry, requestPool, security, observer);
                ConnectionRef ref = new ConnectionRef(ch, connection);
                connections.add(ref);
                ch.closeFuture().addListener(f -> connections.remove(ref));
                if (security.tls().isPresent()) {
                    ch.pipeline().addLast("tls", security.tls().get().newHandler(ch.alloc()));
                }
                ch.pipeline()
                        .addLast("frames", new LengthFieldBasedFrameDecoder(maxFrame, 0, 4, 0, 4))
                        .addLast("idle", new IdleStateHandler(0, 0, idleSeconds, TimeUnit.SECONDS));
                if (security.tls().isPresent()) {
                    ch.pipeline().addLast("chunks", new ChunkedWriteHandler());
                }
                ch.pipeline().addLast("kafka", connection);
            }
        });
        try {
            serverChannel = bootstrap
                    .bind(new InetSocketAddress(settings.host(), settings.port()))
                    .sync()
                    .channel();
        } catch (RuntimeException | InterruptedException e) {
            // Port in use, say: release the threads, or the JVM would never exit.
            workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            requestPool.shutdownNow();
            throw e;
        }
        boundPort = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        LOG.info(
                "Kafka listener {} ({}) on {}:{}",
                security.listenerName().value(),
                security.protocol(),
                settings.host(),
                boundPort);
    }

    /** Requests read and not yet answered, over all connections. */
    public int inFlightRequests() {
        return connections.stream().mapToInt(c -> c.connection().inFlight()).sum();
    }

    /** The SO_SNDBUF of each open client connection, as the operating system reports it (tests). */
    List<Integer> connectionSendBuffers() {
        return connections.stream()
                .map(c -> c.channel().config().getOption(ChannelOption.SO_SNDBUF))
                .toList();
    }

    /** Open client connections of this listener (Kafka's {@code connection-count}). */
    public int connectionCount() {
        return connections.size();
    }

    /** The settings this listener runs with (thread counts for the idle ratios). */
    public Settings settings() {
        return settings;
    }

    /** The port bound, once started (useful with port 0). */
    public int port() {
        return boundPort;
    }

    public synchronized void stop() {
        if (serverChannel == null) {
            return;
        }
        serverChannel.close().syncUninterruptibly();
        for (ConnectionRef ref : connections) {
            ref.channel().eventLoop().execute(() -> {
                var context = ref.channel().pipeline().context("kafka");
                if (context != null) { // null once the channel has closed by itself
                    ref.connection().stopReading(context);
                }
            });
        }
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        while (System.nanoTime() < deadline
                && connections.stream().anyMatch(c -> c.connection().inFlight() > 0)) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (ConnectionRef ref : connections) {
            // Close once what was written has gone out (writes complete in order).
            ref.channel()
                    .writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        }
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        requestPool.shutdownNow();
        serverChannel = null;
        LOG.info("Kafka listener {} stopped", security.listenerName().value());
    }
}
