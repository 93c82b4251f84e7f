package io.echolot.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the module cut in place: the product's packages form no cycle, core depends on no
 * connector, job or tool, the connectors on neither the job nor the tools, and the job on no tool
 * and no picocli (so the jar users submit stays free of them). The tools module sees every module's
 * classes, so the check lives here.
 */
class PackageLayeringTest {

    private static final String CONNECTORS = "io.echolot.sink..";
    private static final String JOB = "io.echolot.jobs..";
    private static final String TOOLS = "io.echolot.tools..";

    private static JavaClasses classes;

    @BeforeAll
    static void importProductClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        // under `mvn verify` the other modules' test fixtures come as -tests.jar
                        .withImportOption(location -> !location.contains("-tests.jar"))
                        .importPackages("io.echolot");
    }

    @Test
    void everyModuleIsOnTheImportedClassPath() {
        // without this, a rule over a package that was not imported would pass on nothing
        for (String pkg :
                new String[] {
                    "io.echolot.ingest",
                    "io.echolot.alert",
                    "io.echolot.index",
                    "io.echolot.sink.elasticsearch",
                    "io.echolot.sink.webhook",
                    "io.echolot.jobs",
                    "io.echolot.tools"
                }) {
            assertThat(classes.containPackage(pkg)).as(pkg).isTrue();
        }
    }

    @Test
    void theProductsPackagesFormNoCycle() {
        slices().matching("io.echolot.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void coreDependsOnNoConnectorJobOrTool() {
        noClasses()
                .that()
                .resideInAPackage("io.echolot..")
                .and()
                .resideOutsideOfPackages(CONNECTORS, JOB, TOOLS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(CONNECTORS, JOB, TOOLS)
                .check(classes);
    }

    @Test
    void connectorsDependOnNeitherTheJobNorTheTools() {
        noClasses()
                .that()
                .resideInAPackage(CONNECTORS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(JOB, TOOLS)
                .check(classes);
    }

    @Test
    void theJobDependsOnNoToolAndNoPicocli() {
        noClasses()
                .that()
                .resideInAPackage(JOB)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(TOOLS, "picocli..", "org.apache.flink.table..")
                .check(classes);
    }
}
