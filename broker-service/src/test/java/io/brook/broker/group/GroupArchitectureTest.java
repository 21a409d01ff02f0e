package io.brook.broker.group;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The group coordinator is pure Java over the log: no networking, Spring or ZooKeeper. */
class GroupArchitectureTest {

    @Test
    void theCoordinatorKnowsNothingOfNetworkingSpringOrZooKeeper() {
        noClasses()
                .that()
                .resideInAPackage("io.brook.broker.group..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.brook.broker.network..",
                        "io.brook.broker.protocol..",
                        "io.netty..",
                        "org.apache.kafka.common.network..",
                        "org.apache.kafka.common.requests..",
                        "org.springframework..",
                        "org.apache.zookeeper..",
                        "org.apache.curator..")
                .because("the protocol handlers call the coordinator, never the other way round")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.brook.broker.group"));
    }
}
