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

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
