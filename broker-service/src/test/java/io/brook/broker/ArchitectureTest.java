package io.brook.broker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the broker, as a failing test (Kafka keeps the same rules in its
 * import-control files): the storage engine knows nothing of networking, Spring or ZooKeeper.
 */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.brook.broker");
    }

    @Test
    void theLogKnowsNothingOfNetworkingSpringOrZooKeeper() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("io.brook.broker.log..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.brook.broker.network..",
                        "io.brook.broker.protocol..",
                        "io.brook.broker.replication..",
                        "io.brook.broker.controller..",
                        "io.brook.broker.group..",
                        "io.netty..",
                        "java.net..",
                        "org.apache.kafka.common.network..",
                        "org.apache.kafka.common.requests..",
                        "org.springframework..",
                        "org.apache.zookeeper..",
                        "org.apache.curator..")
                .because("the storage engine must stay usable and testable on its own");
        rule.check(classes);
    }

    @Test
    void onlyTheMetricsPackageKnowsMicrometer() {
        ArchRule rule = noClasses()
                .that()
                .resideOutsideOfPackages("io.brook.broker.metrics..", "io.brook.broker.config..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.micrometer..")
                .because("the broker's parts report through plain interfaces (NetworkObserver, TopicStats, "
                        + "listeners), which io.brook.broker.metrics binds to meters");
        rule.check(classes);
    }
}
