package io.brook.bench.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.kafka.common.network.TransferableChannel;

/**
 * A {@link TransferableChannel} that discards what it gets, standing in for the socket of a
 * fetch response. {@link #transferFrom} is {@code FileChannel.transferTo} to {@code /dev/null},
 * as Kafka's plaintext transport layer does to a socket: on Linux a {@code sendfile(2)}, so the
 * file pages are looked up (and read from disk when not cached) but never copied to user space.
 */
final class DevNullChannel implements TransferableChannel {

    private final FileChannel out;

    DevNullChannel() throws IOException {
        out = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE);
    }

    @Override
    public boolean hasPendingWrites() {
        return false;
    }

    @Override
    public long transferFrom(FileChannel fileChannel, long position, long count) throws IOException {
        return fileChannel.transferTo(position, count, out);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return out.write(srcs, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return out.write(srcs);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return out.write(src);
    }

    @Override
    public boolean isOpen() {
        return out.isOpen();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
