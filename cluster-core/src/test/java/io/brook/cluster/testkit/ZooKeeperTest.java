package io.brook.cluster.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a real ZooKeeper: one {@link io.brook.cluster.zk.EmbeddedZooKeeper}
 * per class, on a free port in a temporary directory, stopped after the class. Test methods take
 * a {@link ZooKeeperCluster} parameter, whose Curator clients are confined to a namespace of their
 * own per test method, so tests of one class never see each other's znodes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(ZooKeeperExtension.class)
public @interface ZooKeeperTest {}
