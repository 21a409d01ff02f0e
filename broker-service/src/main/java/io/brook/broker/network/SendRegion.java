package io.brook.broker.network;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.TransferableChannel;

/**
 * A Kafka {@link Send} (a response as kafka-clients serialises it: header and body buffers, and
 * record sets) written by Netty as a {@link FileRegion}. On a plaintext NIO channel Netty hands
 * {@link #transferTo} the socket itself, and the record sets of a fetch response, slices of
 * segment files, go out with {@link FileChannel#transferTo}, that is {@code sendfile}: the bytes
 * never enter the JVM.
 *
 * <p>Threading: used by the channel's event loop only.
 */
final class SendRegion extends AbstractReferenceCounted implements FileRegion {

    private final Send send;
    private long transferred;

    SendRegion(Send send) {
        this.send = send;
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    public long count() {
        return send.size();
    }

    /** Writes what the socket takes now; Netty calls again when it can take more. */
    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        long written = send.writeTo(new Target(target));
        transferred += written;
        return written;
    }

    @Override
    public FileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch() {
        return this;
    }

    @Override
    public FileRegion touch(Object hint) {
        return this;
    }

    @Override
    protected void deallocate() {
        // Nothing to free: the buffers are heap buffers and file slices belong to their segments.
    }

    /** The socket as kafka-clients' sends want it. */
    private static final class Target implements TransferableChannel {
        private final WritableByteChannel channel;

        Target(WritableByteChannel channel) {
            this.channel = channel;
        }

        @Override
        public boolean hasPendingWrites() {
            return false;
        }

        @Override
        public long transferFrom(FileChannel fileChannel, long position, long count) throws IOException {
            return fileChannel.transferTo(position, count, channel);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            if (channel instanceof java.nio.channels.GatheringByteChannel gathering) {
                return gathering.write(srcs, offset, length);
            }
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                int n = channel.write(srcs[i]);
                total += n;
                if (srcs[i].hasRemaining()) {
                    break;
                }
            }
            return total;
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
