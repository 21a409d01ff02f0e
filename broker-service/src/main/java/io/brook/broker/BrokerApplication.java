package io.brook.broker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Brook broker: partition logs on disk behind the Kafka wire protocol. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BrokerApplication {

    static {
        // Reactor Netty's HTTP server on Java NIO, not Netty's native epoll: on epoll, about one run
        // in ten of a gateway test pair left a request of a kept-alive connection unread for 30-60 s,
        // read only when the client closed the connection (thread dump: epollRdHupReady ->
        // epollInReady -> the request's handler). Set before any Reactor Netty class reads it (the
        // build sets it for test JVMs, where this runs too late); -Dreactor.netty.native wins.
        if (System.getProperty("reactor.netty.native") == null) {
            System.setProperty("reactor.netty.native", "false");
        }
    }

    public static void main(String[] args) {
        try {
            SpringApplication.run(BrokerApplication.class, args);
        } catch (Throwable e) {
            // Spring has logged why and closed the context; a part that had started threads of
            // its own (the embedded ZooKeeper, Curator) must not keep a failed broker alive, so
            // that a supervisor sees the failure (Kafka's main exits with 1 the same way).
            System.exit(1);
        }
    }
}
