package io.brook.broker.network;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A blocking test client that writes requests serialised by kafka-clients, byte for byte as a real
 * client would, and reads responses, so tests can pipeline, send garbage and watch the socket.
 */
final class RawKafkaClient implements AutoCloseable {

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;
    private int correlationId;

    RawKafkaClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        out = new DataOutputStream(socket.getOutputStream());
        in = new DataInputStream(socket.getInputStream());
    }

    /** Sends a request; returns its header, for {@link #receive}. */
    RequestHeader send(AbstractRequest request) throws IOException {
        RequestHeader header =
                new RequestHeader(request.apiKey(), request.version(), "raw-test-client", ++correlationId);
        ByteBuffer bytes = request.serializeWithHeader(header);
        writeFrame(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        return header;
    }

    void writeFrame(byte[] bytes, int offset, int length) throws IOException {
        out.writeInt(length);
        out.write(bytes, offset, length);
        out.flush();
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads the next response, which must answer {@code header}. */
    AbstractResponse receive(RequestHeader header) throws IOException {
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        return AbstractResponse.parseResponse(ByteBuffer.wrap(body), header);
    }

    /** The correlation id of the next response, without parsing the body. */
    int receiveCorrelationId() throws IOException {
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        return ByteBuffer.wrap(body).getInt();
    }

    /** Whether the broker closed the connection (reads end of stream). */
    boolean closedByPeer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
