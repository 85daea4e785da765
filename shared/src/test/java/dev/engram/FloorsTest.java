package dev.engram;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Imports run down the floors: what the ground floor and the stores may not reach. */
class FloorsTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.engram");

    @Test
    void theGroundFloorImportsNothingAboveIt() {
        classes().that().resideInAnyPackage("dev.engram.redis..", "dev.engram.tenant..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.engram..")
                        .or(resideInAnyPackage("dev.engram.redis..", "dev.engram.tenant..", "dev.engram.errors..", "dev.engram.json..")))
                .check(MAIN);
    }

    @Test
    void memoryReachesNoFloorAboveIt() {
        noClasses().that().resideInAPackage("dev.engram.memory..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.engram.batch..", "dev.engram.auth..", "dev.engram.erase..",
                        "dev.engram.tasks..", "dev.engram.bindings..", "dev.engram.observability..")
                .check(MAIN);
    }

    @Test
    void tenantEraseKnowsTheStoresOnlyAsTenantData() {
        noClasses().that().resideInAPackage("dev.engram.erase..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.engram.memory..", "dev.engram.batch..", "dev.engram.auth..")
                .check(MAIN);
    }
}
