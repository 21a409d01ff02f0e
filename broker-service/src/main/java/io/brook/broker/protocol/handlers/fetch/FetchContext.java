package io.brook.broker.protocol.handlers.fetch;

import java.util.LinkedHashMap;
import java.util.List;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * What one fetch request means once its session is looked up (Kafka's {@code FetchContext}):
 * which partitions to read, then, given what was read, what to answer.
 *
 * <table>
 *   <caption>Kinds of fetch context</caption>
 *   <tr><th>Request (session id, epoch)</th><th>Context</th><th>Reads</th><th>Answers</th></tr>
 *   <tr><td>(any, -1)</td><td>{@link Sessionless}</td><td>listed partitions</td><td>all, session 0</td></tr>
 *   <tr><td>(any, 0)</td><td>{@link Full}</td><td>listed partitions</td><td>all, new session id or 0</td></tr>
 *   <tr><td>(N, E &gt; 0) matching</td><td>{@link Incremental}</td><td>whole session</td><td>changed ones, session N</td></tr>
 *   <tr><td>(N, E &gt; 0) not matching</td><td>{@link SessionError}</td><td>nothing</td><td>the error, session 0</td></tr>
 * </table>
 *
 * <p>Threading: {@link #partitions} is called on the request's thread, {@link #reply} on
 * whichever thread completes the read; each context serves one request.
 */
public sealed interface FetchContext {

    /** The partitions to read, in order; those with an error are answered without reading. */
    List<PartitionFetch> partitions();

    /**
     * The answer, given the read result of every partition of {@link #partitions} (in that
     * order); may keep fewer of them.
     */
    Reply reply(LinkedHashMap<PartitionKey, FetchResponseData.PartitionData> read);

    /** A fetch response's top-level error, session id and partitions. */
    record Reply(Errors error, int sessionId, LinkedHashMap<PartitionKey, FetchResponseData.PartitionData> partitions) {
        static Reply error(Errors error, int sessionId) {
            return new Reply(error, sessionId, new LinkedHashMap<>());
        }
    }

    /** The request named a session it cannot use. */
    record SessionError(Errors error) implements FetchContext {
        @Override
        public List<PartitionFetch> partitions() {
            return List.of();
        }

        @Override
        public Reply reply(LinkedHashMap<PartitionKey, FetchResponseData.PartitionData> read) {
            return Reply.error(error, FetchMetadata.INVALID_SESSION_ID);
        }
    }

    /** A full fetch that opens no session. */
    record Sessionless(List<PartitionFetch> partitions) implements FetchContext {
        @Override
        public Reply reply(LinkedHashMap<PartitionKey, FetchResponseData.PartitionData> read) {
            return new Reply(Errors.NONE, FetchMetadata.INVALID_SESSION_ID, read);
        }
    }

    /** A full fetch that opens a session if the cache has room for it. */
    record Full(FetchSessionCache cache, List<PartitionFetch> partitions, boolean usesTopicIds, boolean privileged)
            implements FetchContext {
        @Override
        public Reply reply(LinkedHashMap<PartitionKey, FetchResponseData.PartitionData> read) {
            int id = cache.maybeCreate(privileged, usesTopicIds, partitions, read);
            return new Reply(Errors.NONE, id, read);
        }
    }

    /** An incremental fetch over an existing session, whose epoch it has already advanced. */
    record Incremental(FetchSession session, int requestEpoch, List<PartitionFetch> partitions)
            implements FetchContext {
        @Override
        public Reply reply(LinkedHashMap<PartitionKey, FetchResponseData.PartitionData> read) {
            synchronized (session) {
                // Another request at the same epoch may have been accepted while this one read
                // (a client that resent): only the first answer may update the session.
                if (session.epoch() != FetchMetadata.nextEpoch(requestEpoch)) {
                    return Reply.error(Errors.INVALID_FETCH_SESSION_EPOCH, session.id());
                }
                session.filterIncremental(read);
                return new Reply(Errors.NONE, session.id(), read);
            }
        }
    }
}
