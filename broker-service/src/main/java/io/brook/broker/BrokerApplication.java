package io.brook.broker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Brook broker: partition logs on disk behind the Kafka wire protocol. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BrokerApplication {

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
