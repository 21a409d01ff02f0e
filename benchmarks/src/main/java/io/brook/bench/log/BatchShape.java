package io.brook.bench.log;

/** The record batches the benchmarks append, by the name used in the {@code batch} JMH parameter. */
enum BatchShape {
    /** One record with a 100-byte value: the small-message case. */
    SMALL("100B", 1, 100),
    /** Sixteen records with 1 KiB values each: about 16 KiB of values per batch. */
    LARGE("16KB", 16, 1024);

    final String param;
    final int records;
    final int valueBytes;

    BatchShape(String param, int records, int valueBytes) {
        this.param = param;
        this.records = records;
        this.valueBytes = valueBytes;
    }

    static BatchShape of(String param) {
        for (BatchShape shape : values()) {
            if (shape.param.equals(param)) {
                return shape;
            }
        }
        throw new IllegalArgumentException("unknown batch shape '" + param + "'; use 100B or 16KB");
    }
}
