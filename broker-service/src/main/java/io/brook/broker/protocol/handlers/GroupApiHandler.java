package io.brook.broker.protocol.handlers;

import io.brook.broker.group.RequestContext;
import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * The handler of one consumer-group API (JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
 * OffsetCommit, OffsetFetch, ListGroups, DescribeGroups, DeleteGroups, OffsetDelete): each is an
 * instance of this class bound to its API, its versions and its {@code GroupCoordinator} method,
 * since all the protocol layer does for them is hand the body over and wrap the answer. The
 * coordinator owns the group logic, per STYLE's shard and service split.
 *
 * @param <Q> the request's message data
 * @param <S> the response's message data
 */
public final class GroupApiHandler<Q extends ApiMessage, S extends ApiMessage> implements ApiHandler {

    /** The coordinator call of this API. */
    @FunctionalInterface
    public interface Call<Q, S> {
        CompletableFuture<S> apply(RequestContext context, Q request);
    }

    private final ApiKeys apiKey;
    private final short minVersion;
    private final short maxVersion;
    private final Class<Q> requestType;
    private final Call<Q, S> call;
    private final BiFunction<S, Short, AbstractResponse> wrap;
    private final GroupAuthorization.Guard<Q, S> guard;

    /** @param guard the API's ACL checks ({@link GroupAuthorization}) */
    public GroupApiHandler(
            ApiKeys apiKey,
            short minVersion,
            short maxVersion,
            Class<Q> requestType,
            Call<Q, S> call,
            BiFunction<S, Short, AbstractResponse> wrap,
            GroupAuthorization.Guard<Q, S> guard) {
        this.guard = guard;
        this.apiKey = apiKey;
        this.minVersion = minVersion;
        this.maxVersion = maxVersion;
        this.requestType = requestType;
        this.call = call;
        this.wrap = wrap;
    }

    @Override
    public ApiKeys apiKey() {
        return apiKey;
    }

    @Override
    public short minVersion() {
        return minVersion;
    }

    @Override
    public short maxVersion() {
        return maxVersion;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        RequestContext context = new RequestContext(
                request.version(),
                request.context().clientId(),
                request.context().clientAddress().getHostAddress());
        Q data = requestType.cast(request.body().data());
        return guard.call(request.context(), data, checked -> call.apply(context, checked))
                .thenApply(response -> wrap.apply(response, request.version()));
    }
}
