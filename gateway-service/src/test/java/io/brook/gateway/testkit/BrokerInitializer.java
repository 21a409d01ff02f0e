package io.brook.gateway.testkit;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points the gateway under test at the shared broker, starting it if needed. */
public class BrokerInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of(
                        "brook.gateway.bootstrap-servers="
                                + BrokerProcess.shared().bootstrap(),
                        // Read only with security on (the users and ACLs live there).
                        "brook.gateway.zookeeper-connect="
                                + BrokerProcess.shared().zookeeperConnect())
                .applyTo(context);
    }
}
