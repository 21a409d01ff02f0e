package io.brook.broker.network;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.CloseConnectionException;
import io.brook.broker.protocol.HandlerRegistry;
import io.brook.broker.protocol.KafkaRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.network.ClientInformation;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.RequestContext;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: takes length-delimited frames (the frame decoder before it has checked
 * the size), parses each with kafka-clients' {@link RequestHeader} and {@link RequestContext},
 * hands it to its {@link ApiHandler} and writes the responses back <em>in request order</em>, as
 * the protocol requires, however the handlers' futures complete.
 *
 * <p>Many requests may be in flight; above {@value #MAX_IN_FLIGHT} the connection stops reading
 * until responses have gone out, so that one client cannot queue unbounded work. Handlers run on
 * the request-handler pool through a per-connection {@link SerialExecutor}.
 *
 * <p>Bad input closes this connection alone: a header that does not parse, an API the broker
 * does not serve or a version outside its range (except ApiVersions, which answers {@code
 * UNSUPPORTED_VERSION} as clients expect), or a body that does not parse. Kafka's brokers do the
 * same.
 *
 * <p>Metrics: each request's receive, handler start, handler end and completion times, and the
 * time the event loop and the handler threads spend on it, go to the {@link NetworkObserver}
 * (Kafka's request times and idle ratios).
 *
 * <p>Threading: every field is confined to the channel's event loop, except {@link #inFlight},
 * which shutdown reads.
 */
final class KafkaConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);

    /** Kafka's producers pipeline at most 5; consumers and admin clients a few. */
    static final int MAX_IN_FLIGHT = 64;

    /** Marks, in the response order, where the connection is to be closed instead. */
    private static final Send CLOSE =
            new org.apache.kafka.common.network.ByteBufferSend(java.nio.ByteBuffer.allocate(0));

    private final HandlerRegistry registry;
    private final SerialExecutor executor;
    private final ListenerName listenerName;
    private final NetworkObserver observer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<Long, Optional<Send>> completed = new HashMap<>();
    private long nextSequence;
    private long nextToSend;
    private ClientInformation clientInformation = ClientInformation.EMPTY;
    private String connectionId = "unknown";
    /** Set by shutdown: reading stays off while the requests in flight finish. */
    private boolean draining;

    KafkaConnection(HandlerRegistry registry, Executor requestPool, ListenerName listenerName) {
        this(registry, requestPool, listenerName, NetworkObserver.NONE);
    }

    KafkaConnection(
            HandlerRegistry registry, Executor requestPool, ListenerName listenerName, NetworkObserver observer) {
        this.registry = registry;
        this.executor = new SerialExecutor(requestPool);
        this.listenerName = listenerName;
        this.observer = observer;
    }

    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        connectionId = ctx.channel().localAddress() + "-" + ctx.channel().remoteAddress() + "-"
                + ctx.channel().id();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long start = System.nanoTime();
        try {
            read(ctx, (ByteBuf) msg, start);
        } finally {
            observer.networkBusy(System.nanoTime() - start);
        }
    }

    private void read(ChannelHandlerContext ctx, ByteBuf frame, long receivedNanos) {
        ByteBuffer buffer;
        try {
            // Parsed requests keep views of this buffer (a produce request's records), beyond the
            // life of Netty's pooled frame: copy it once into a heap buffer of its own.
            buffer = ByteBuffer.allocate(frame.readableBytes());
            frame.readBytes(buffer);
            buffer.flip();
        } finally {
            frame.release();
        }
        RequestContext context;
        AbstractRequest body;
        ApiHandler handler;
        try {
            RequestHeader header = RequestHeader.parse(buffer);
            ApiKeys key = header.apiKey();
            Optional<ApiHandler> found = registry.handlerFor(key, header.apiVersion());
            if (found.isEmpty() && key != ApiKeys.API_VERSIONS) {
                closeForBadRequest(ctx, key + " v" + header.apiVersion() + " is not served");
                return;
            }
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            context = new RequestContext(
                    header,
                    connectionId,
                    remote.getAddress(),
                    Optional.of(remote.getPort()),
                    KafkaPrincipal.ANONYMOUS,
                    listenerName,
                    SecurityProtocol.PLAINTEXT,
                    clientInformation,
                    false);
            body = context.parseRequest(buffer).request;
            handler = found.orElseGet(
                    () -> registry.handlerFor(ApiKeys.API_VERSIONS, ApiKeys.API_VERSIONS.latestVersion())
                            .orElseThrow());
        } catch (RuntimeException e) {
            closeForBadRequest(ctx, e.toString());
            return;
        }
        if (body instanceof ApiVersionsRequest versions && versions.isValid()) {
            clientInformation = new ClientInformation(
                    versions.data().clientSoftwareName(), versions.data().clientSoftwareVersion());
        }
        long sequence = nextSequence++;
        if (inFlight.incrementAndGet() >= MAX_IN_FLIGHT) {
            ctx.channel().config().setAutoRead(false);
        }
        KafkaRequest request = new KafkaRequest(context, body, receivedNanos);
        executor.execute(() -> dispatch(ctx, handler, request, sequence));
    }

    private void dispatch(ChannelHandlerContext ctx, ApiHandler handler, KafkaRequest request, long sequence) {
        long handlerStart = System.nanoTime();
        CompletableFuture<AbstractResponse> response;
        try {
            response = handler.handle(request);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        long handlerEnd = System.nanoTime();
        observer.requestHandlerBusy(handlerEnd - handlerStart);
        response.whenComplete((result, error) -> {
            try {
                respond(ctx, request, sequence, result, error);
            } finally {
                observer.requestCompleted(
                        request.context().header.apiKey(),
                        request.receivedNanos(),
                        handlerStart,
                        handlerEnd,
                        System.nanoTime());
            }
        });
    }

    private void respond(
            ChannelHandlerContext ctx, KafkaRequest request, long sequence, AbstractResponse result, Throwable error) {
        Send send = null;
        try {
            AbstractResponse answer = result;
            if (error != null) {
                Throwable cause =
                        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof CloseConnectionException) {
                    ctx.executor().execute(() -> complete(ctx, sequence, CLOSE));
                    return;
                }
                if (!(cause instanceof org.apache.kafka.common.errors.ApiException)) {
                    LOG.warn("{} failed for {}", request.context().header.apiKey(), connectionId, cause);
                }
                answer = request.body().getErrorResponse(0, cause);
            }
            if (answer != null) {
                send = request.context().buildResponseSend(answer);
            }
        } catch (RuntimeException e) {
            LOG.error("Could not build the response to {}", request.context(), e);
            ctx.executor().execute(ctx::close);
            return;
        }
        Send toSend = send;
        ctx.executor().execute(() -> complete(ctx, sequence, toSend));
    }

    /** Queues a finished response and writes every response that is now next in order. */
    private void complete(ChannelHandlerContext ctx, long sequence, Send send) {
        long start = System.nanoTime();
        try {
            writeInOrder(ctx, sequence, send);
        } finally {
            observer.networkBusy(System.nanoTime() - start);
        }
    }

    private void writeInOrder(ChannelHandlerContext ctx, long sequence, Send send) {
        completed.put(sequence, Optional.ofNullable(send));
        boolean wrote = false;
        while (completed.containsKey(nextToSend)) {
            Optional<Send> next = completed.remove(nextToSend++);
            inFlight.decrementAndGet();
            if (next.isPresent() && next.get() == CLOSE) {
                LOG.info("Closing connection {}: a request failed that has no response", connectionId);
                ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                return;
            }
            if (next.isPresent() && ctx.channel().isActive()) {
                ctx.write(new SendRegion(next.get()));
                wrote = true;
            }
        }
        if (wrote) {
            ctx.flush();
        }
        if (inFlight.get() < MAX_IN_FLIGHT / 2 && !ctx.channel().config().isAutoRead() && !draining) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Stops reading requests: shutdown lets the ones in flight finish. Event loop only. */
    void stopReading(ChannelHandlerContext ctx) {
        draining = true;
        ctx.channel().config().setAutoRead(false);
    }

    private void closeForBadRequest(ChannelHandlerContext ctx, String why) {
        LOG.info("Closing connection {}: {}", connectionId, why);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && inFlight.get() == 0) {
            LOG.debug("Closing idle connection {}", connectionId);
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Oversized or negative frame sizes (from the frame decoder) and socket errors.
        LOG.info("Closing connection {}: {}", connectionId, cause.toString());
        ctx.close();
    }
}
