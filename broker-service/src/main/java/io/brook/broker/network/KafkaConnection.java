package io.brook.broker.network;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.CloseConnectionException;
import io.brook.broker.protocol.HandlerRegistry;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.AuditLog;
import io.brook.broker.security.Principals;
import io.brook.broker.security.SaslAuthenticator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSession;
import org.apache.kafka.common.network.ClientInformation;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.RequestContext;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
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
 * <p>Authentication: on SASL listeners, until the connection's {@link SaslAuthenticator} has
 * completed, only ApiVersions, SaslHandshake and SaslAuthenticate are served; any other request
 * closes the connection, as Kafka's brokers do. A failed exchange is answered, then the connection
 * closes. The principal of every request is the SASL one, else on TLS listeners the client
 * certificate's ({@link Principals}), else ANONYMOUS.
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
    private final ListenerSecurity security;
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
    /** The principal of a non-SASL connection, known once TLS has completed; null before. */
    private KafkaPrincipal transportPrincipal;
    /** The SASL exchange on SASL listeners, made with the first request; null elsewhere. */
    private SaslAuthenticator authenticator;
    /** Responses after which the connection closes (a failed SASL exchange). */
    private final Set<Long> closeAfter = new HashSet<>();

    KafkaConnection(HandlerRegistry registry, Executor requestPool, ListenerSecurity security) {
        this(registry, requestPool, security, NetworkObserver.NONE);
    }

    KafkaConnection(
            HandlerRegistry registry, Executor requestPool, ListenerSecurity security, NetworkObserver observer) {
        this.registry = registry;
        this.executor = new SerialExecutor(requestPool);
        this.security = security;
        this.listenerName = security.listenerName();
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
        boolean saslStep;
        try {
            RequestHeader header = RequestHeader.parse(buffer);
            ApiKeys key = header.apiKey();
            Optional<ApiHandler> found = registry.handlerFor(key, header.apiVersion());
            if (found.isEmpty() && key != ApiKeys.API_VERSIONS) {
                closeForBadRequest(ctx, key + " v" + header.apiVersion() + " is not served");
                return;
            }
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            KafkaPrincipal principal = principal(ctx, remote);
            boolean authenticating =
                    authenticator != null && authenticator.principal().isEmpty();
            saslStep = authenticating && (key == ApiKeys.SASL_HANDSHAKE || key == ApiKeys.SASL_AUTHENTICATE);
            if (authenticating && !saslStep && key != ApiKeys.API_VERSIONS) {
                closeForBadRequest(ctx, key + " before SASL authentication completed");
                return;
            }
            context = new RequestContext(
                    header,
                    connectionId,
                    remote.getAddress(),
                    Optional.of(remote.getPort()),
                    principal,
                    listenerName,
                    security.protocol(),
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
        if (saslStep) {
            SaslAuthenticator sasl = authenticator;
            executor.execute(() -> authenticate(ctx, sasl, request, sequence));
        } else {
            executor.execute(() -> dispatch(ctx, handler, request, sequence));
        }
    }

    /**
     * The principal of this connection's next request: the SASL one once authenticated, else that
     * of the transport (the client certificate's on TLS, ANONYMOUS otherwise). Computed with the
     * first request, when TLS has completed. Event loop only.
     */
    private KafkaPrincipal principal(ChannelHandlerContext ctx, InetSocketAddress remote) {
        if (transportPrincipal == null) {
            Optional<SSLSession> tls = Optional.ofNullable(ctx.pipeline().get(SslHandler.class))
                    .map(h -> h.engine().getSession());
            transportPrincipal = tls.isPresent() && security.sasl().isEmpty()
                    ? Principals.ofTls(tls.get(), remote.getAddress(), listenerName)
                    : KafkaPrincipal.ANONYMOUS;
            if (security.sasl().isPresent()) {
                authenticator = new SaslAuthenticator(
                        security.sasl().get(), security.protocol(), listenerName, remote.getAddress(), tls);
            }
        }
        if (authenticator != null) {
            return authenticator.principal().orElse(KafkaPrincipal.ANONYMOUS);
        }
        return transportPrincipal;
    }

    /** One step of the SASL exchange, on the request pool: SCRAM and PLAIN hash passwords. */
    private void authenticate(ChannelHandlerContext ctx, SaslAuthenticator sasl, KafkaRequest request, long sequence) {
        long start = System.nanoTime();
        try {
            authenticateStep(ctx, sasl, request, sequence);
        } finally {
            long end = System.nanoTime();
            observer.requestHandlerBusy(end - start);
            observer.requestCompleted(request.context().header.apiKey(), request.receivedNanos(), start, end, end);
        }
    }

    private void authenticateStep(
            ChannelHandlerContext ctx, SaslAuthenticator sasl, KafkaRequest request, long sequence) {
        Send send;
        boolean close;
        try {
            SaslAuthenticator.Step step = request.body() instanceof SaslHandshakeRequest handshake
                    ? sasl.handshake(handshake)
                    : sasl.authenticate((SaslAuthenticateRequest) request.body());
            send = request.context().buildResponseSend(step.response());
            close = step.close();
        } catch (RuntimeException e) {
            LOG.warn("SASL exchange failed on {}", connectionId, e);
            ctx.executor().execute(() -> complete(ctx, sequence, CLOSE));
            return;
        }
        ctx.executor().execute(() -> {
            if (close) {
                closeAfter.add(sequence);
            }
            complete(ctx, sequence, send);
        });
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
            boolean closeNow = closeAfter.remove(nextToSend);
            Optional<Send> next = completed.remove(nextToSend++);
            inFlight.decrementAndGet();
            if (next.isPresent() && next.get() == CLOSE) {
                LOG.info("Closing connection {}: a request failed that has no response", connectionId);
                ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                return;
            }
            if (next.isPresent() && ctx.channel().isActive()) {
                // sendfile cannot pass through TLS: there the bytes go out in encrypted chunks.
                ctx.write(security.tls().isPresent() ? new SendChunks(next.get()) : new SendRegion(next.get()));
                wrote = true;
            }
            if (closeNow) {
                LOG.info("Closing connection {}: authentication failed", connectionId);
                ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                return;
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
        if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            AuditLog.tlsFailed(
                    remote.getAddress(),
                    listenerName,
                    handshake.cause().getClass().getSimpleName());
        }
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
