package io.brook.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The command line is a Kafka client: it never reaches for ZooKeeper, Curator or Spring. */
class ArchitectureTest {

    @Test
    void theCommandLineTalksToBrokersOnly() {
        noClasses()
                .that()
                .resideInAPackage("io.brook.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.zookeeper..",
                        "org.apache.curator..",
                        "io.brook.cluster.zk..",
                        "org.springframework..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.brook.cli"));
    }
}
