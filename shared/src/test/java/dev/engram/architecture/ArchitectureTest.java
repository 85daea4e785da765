package dev.engram.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import dev.engram.errors.EngramException;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The floors of the shared library, and no package cycles. Imports run down only:
 * <ol>
 *   <li>the top: the tasks and what serves a request around them (batch jobs, the HTTP surface in
 *   {@code web}, authentication and limits, observability, tenant erase, start-up priming); the
 *   functions stand above it in their own modules, which the shared library cannot see;</li>
 *   <li>the resources: {@code memory} and {@code inference}, which never use each other (memory never
 *   calls the model, the model never touches Redis);</li>
 *   <li>the ground floor: error types, strict JSON, native libraries, Redis and the tenant key scheme.</li>
 * </ol>
 * The classes are read as compiled: an import used only for a constant (a {@code static final String})
 * leaves no trace in them, so such an arrow is not seen here.
 */
class ArchitectureTest {
    private static JavaClasses shared;

    @BeforeAll
    static void importSharedLibrary() {
        // the library's own classes, where they were compiled: not its tests, not the test-support module
        Location library = Location.of(
                EngramException.class.getProtectionDomain().getCodeSource().getLocation());
        shared = new ClassFileImporter().importLocations(Set.of(library));
    }

    @Test
    void noPackageFormsACycle() {
        slices().matching("dev.engram.(**)").should().beFreeOfCycles().check(shared);
    }

    @Test
    void importsRunDownTheFloors() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Top")
                .definedBy(
                        "dev.engram.tasks..",
                        "dev.engram.batch..",
                        "dev.engram.web..",
                        "dev.engram.auth..",
                        "dev.engram.observability..",
                        "dev.engram.erase..",
                        "dev.engram.startup..")
                .layer("Memory")
                .definedBy("dev.engram.memory..")
                .layer("Inference")
                .definedBy("dev.engram.inference..")
                .layer("Ground")
                .definedBy(
                        "dev.engram.errors..",
                        "dev.engram.json..",
                        "dev.engram.nativelibs..",
                        "dev.engram.redis..",
                        "dev.engram.tenant..")
                .whereLayer("Top")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Memory")
                .mayOnlyBeAccessedByLayers("Top")
                .whereLayer("Inference")
                .mayOnlyBeAccessedByLayers("Top")
                .whereLayer("Ground")
                .mayOnlyBeAccessedByLayers("Top", "Memory", "Inference")
                // a new package is given its floor here, or this fails
                .ensureAllClassesAreContainedInArchitecture()
                .check(shared);
    }

    @Test
    void tenantEraseKnowsTheStoresOnlyAsTenantData() {
        noClasses()
                .that()
                .resideInAPackage("dev.engram.erase..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.engram.memory..", "dev.engram.batch..", "dev.engram.auth..")
                .check(shared);
    }
}
