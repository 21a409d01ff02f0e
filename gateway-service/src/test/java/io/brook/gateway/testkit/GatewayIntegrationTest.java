package io.brook.gateway.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * The gateway's integration-test harness as an annotation: the whole gateway on a random port,
 * pointed at the shared real {@link BrokerProcess}, and a {@code WebTestClient} bound to it. All
 * classes so annotated share one Spring context (and one gateway), and one broker. A failing test
 * leaves thread dumps of both ({@link ThreadDumpOnFailure}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "60s")
@ContextConfiguration(initializers = BrokerInitializer.class)
@ExtendWith(ThreadDumpOnFailure.class)
public @interface GatewayIntegrationTest {}
