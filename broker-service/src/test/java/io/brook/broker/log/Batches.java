package io.brook.broker.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.record.internal.SimpleRecord;

/** Builds record batches as a producer would and reads them back, for log tests. */
final class Batches {

    private Batches() {}

    /** One uncompressed v2 batch of values without keys, all at {@code timestamp}. */
    static MemoryRecords of(long timestamp, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(timestamp, null, bytes(values[i]));
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    /** One uncompressed v2 batch of one keyed record; a null value is a tombstone. */
    static MemoryRecords keyed(long timestamp, String key, String value) {
        return MemoryRecords.withRecords(
                Compression.NONE, new SimpleRecord(timestamp, bytes(key), value == null ? null : bytes(value)));
    }

    /** One batch of {@code count} records of {@code size} bytes each. */
    static MemoryRecords sized(long timestamp, int count, int size) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(timestamp, null, new byte[size]);
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A record as tests compare them. */
    record Rec(long offset, long timestamp, String key, String value) {}

    /** Every whole record in {@code records} (a trailing partial batch is skipped, as clients do). */
    static List<Rec> read(Records records) {
        List<Rec> out = new ArrayList<>();
        for (RecordBatch batch : records.batches()) {
            for (Record r : batch) {
                out.add(new Rec(r.offset(), r.timestamp(), string(r.key()), string(r.value())));
            }
        }
        return out;
    }

    /** Every record of the log from {@code from} to the log end, read in small steps. */
    static List<Rec> readAll(PartitionLog log, long from, FetchIsolation isolation) {
        List<Rec> out = new ArrayList<>();
        long next = from;
        while (next < log.logEndOffset()) {
            List<Rec> chunk = read(log.read(next, 4096, isolation, true).records());
            if (chunk.isEmpty()) {
                break;
            }
            for (Rec r : chunk) {
                if (r.offset() >= next) {
                    out.add(r);
                }
            }
            next = chunk.get(chunk.size() - 1).offset() + 1;
        }
        return out;
    }

    private static String string(java.nio.ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
