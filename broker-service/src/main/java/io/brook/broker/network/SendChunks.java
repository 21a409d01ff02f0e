package io.brook.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.TransferableChannel;

/**
 * A Kafka {@link Send} as chunks of bytes, for TLS listeners: a {@link SendRegion}'s {@code
 * sendfile} cannot pass through the {@code SslHandler}, which encrypts buffers only. Netty's
 * {@code ChunkedWriteHandler} pulls one chunk of at most {@value #CHUNK_BYTES} bytes at a time as
 * the socket drains, so a large fetch response never sits in memory whole; record sets of segment
 * files are read with positional reads into the chunk.
 *
 * <p>Threading: used by the channel's event loop only.
 */
final class SendChunks implements ChunkedInput<ByteBuf> {

    /** 16 KiB is the largest TLS record: a chunk a multiple of it fills records exactly. */
    static final int CHUNK_BYTES = 4 * 16 * 1024;

    private final Send send;
    private long transferred;

    SendChunks(Send send) {
        this.send = send;
    }

    @Override
    public boolean isEndOfInput() {
        return transferred >= send.size();
    }

    @Override
    public void close() {
        // Nothing to free: the buffers are heap buffers and file slices belong to their segments.
    }

    @Override
    @Deprecated
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws IOException {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
        if (isEndOfInput()) {
            return null;
        }
        int size = (int) Math.min(CHUNK_BYTES, send.size() - transferred);
        ByteBuf chunk = allocator.heapBuffer(size, size);
        boolean done = false;
        try {
            ByteBuffer target = chunk.nioBuffer(0, size);
            Into into = new Into(target);
            // A Send writes what its target takes; the target takes until the chunk is full. A
            // send may write nothing once while it steps past an empty part; never many times.
            int idle = 0;
            while (target.hasRemaining() && !send.completed()) {
                if (send.writeTo(into) == 0 && ++idle > 16) {
                    throw new IOException("a response stopped short of its size");
                }
            }
            int written = target.position();
            chunk.writerIndex(written);
            transferred += written;
            done = true;
            return chunk;
        } finally {
            if (!done) {
                chunk.release();
            }
        }
    }

    @Override
    public long length() {
        return send.size();
    }

    @Override
    public long progress() {
        return transferred;
    }

    /** A chunk's buffer as kafka-clients' sends want a channel. */
    private static final class Into implements TransferableChannel {
        private final ByteBuffer target;

        Into(ByteBuffer target) {
            this.target = target;
        }

        @Override
        public boolean hasPendingWrites() {
            return false;
        }

        @Override
        public long transferFrom(FileChannel fileChannel, long position, long count) throws IOException {
            int n = (int) Math.min(count, target.remaining());
            ByteBuffer slice = target.slice();
            slice.limit(n);
            int read = 0;
            while (slice.hasRemaining()) {
                int r = fileChannel.read(slice, position + read);
                if (r < 0) {
                    throw new IOException("segment file ended before the fetched slice");
                }
                read += r;
            }
            target.position(target.position() + read);
            return read;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(src.remaining(), target.remaining());
            ByteBuffer part = src.slice();
            part.limit(n);
            target.put(part);
            src.position(src.position() + n);
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long total = 0;
            for (int i = offset; i < offset + length && target.hasRemaining(); i++) {
                total += write(srcs[i]);
            }
            return total;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }
}
