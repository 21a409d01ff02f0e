package io.brook.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Brook gateway: a Spring WebFlux application that speaks HTTP to its users and the Kafka
 * protocol (through kafka-clients) to the brokers. It holds no data of its own: every record is
 * acknowledged by a broker before the gateway answers, so gateways can be started, stopped and
 * multiplied freely.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

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
        SpringApplication.run(GatewayApplication.class, args);
    }
}
