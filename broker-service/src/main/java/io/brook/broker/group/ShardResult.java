package io.brook.broker.group;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.common.protocol.Errors;

/**
 * What a {@link GroupCoordinatorShard} operation produced: the records to append to the
 * {@code __consumer_offsets} partition, and how to finish once the write is done. The service
 * appends the records as one batch (all or nothing) and, once the batch is committed (the high
 * watermark has passed it) or has failed, calls {@link #complete} on the shard's thread with
 * {@link Errors#NONE} or with the write's error; only then does the shard apply what the records
 * say (a commit becomes visible, a group moves to Stable) and build the response. Other
 * operations of the shard may run in between, so a completion checks what it relies on (the
 * group's generation, say). With no records, {@code complete(NONE)} is called at once.
 *
 * @param <T> the response
 */
public final class ShardResult<T> {

    private final List<GroupRecord> records;
    private final Function<Errors, T> completion;

    private ShardResult(List<GroupRecord> records, Function<Errors, T> completion) {
        this.records = List.copyOf(records);
        this.completion = completion;
    }

    /** A result that writes nothing. */
    public static <T> ShardResult<T> of(T response) {
        return new ShardResult<>(List.of(), error -> response);
    }

    /** Writes {@code records}, then builds the response from the append's outcome. */
    public static <T> ShardResult<T> write(List<GroupRecord> records, Function<Errors, T> completion) {
        return new ShardResult<>(records, completion);
    }

    /** Nothing to write and nothing to answer (timer operations, parked requests). */
    public static ShardResult<Void> empty() {
        return of(null);
    }

    public List<GroupRecord> records() {
        return records;
    }

    /** Finishes the operation after the append; {@code appendError} is NONE when it succeeded. */
    public T complete(Errors appendError) {
        return completion.apply(appendError);
    }

    /**
     * Collects the records and completions of several steps of one operation (a member leaves,
     * which completes the join phase, which persists the empty group) into one result.
     */
    static final class Builder {
        private final List<GroupRecord> records = new ArrayList<>();
        private final List<Consumer<Errors>> completions = new ArrayList<>();

        void add(List<GroupRecord> more, Consumer<Errors> onAppended) {
            records.addAll(more);
            completions.add(onAppended);
        }

        void add(ShardResult<Void> result) {
            add(result.records(), result::complete);
        }

        <T> ShardResult<T> build(Function<Errors, T> response) {
            List<Consumer<Errors>> steps = List.copyOf(completions);
            return new ShardResult<>(records, error -> {
                steps.forEach(step -> step.accept(error));
                return response.apply(error);
            });
        }

        ShardResult<Void> build() {
            return build(error -> null);
        }
    }
}
