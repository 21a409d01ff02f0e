package io.brook.cluster;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * cluster-core is shared by brokers and gateways: it must stay free of any application framework
 * and of the broker itself (Kafka keeps such rules in its import-control files).
 */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.brook.cluster");
    }

    @Test
    void clusterCoreKnowsNothingOfSpringNettyOrTheBroker() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "io.netty..", "io.brook.broker..", "io.brook.gateway..")
                .because("brokers and gateways depend on cluster-core, not the other way round")
                .check(classes);
    }

    @Test
    void onlyTheZkPackageBuildsZNodePayloads() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.brook.cluster.zk..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.fasterxml.jackson..")
                .because("every znode format lives in its *ZNode class")
                .check(classes);
    }
}
