package io.strata.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the module graph of docs/architecture.md at package level: dependencies point inward,
 * from the command line to the engines to the core to the Dockerfile library.
 */
class ModuleDependencyTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.strata");
    }

    @Test
    void dockerfileLibraryDependsOnNothingOfStrata() {
        noClasses().that().resideInAPackage("io.strata.dockerfile..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.strata.core..", "io.strata.registry..", "io.strata.worker..", "io.strata.local..", "io.strata.kube..",
                        "io.strata.cli..", "io.strata.testkit..", "io.strata.server..")
                .check(classes);
    }

    @Test
    void coreDependsOnlyOnTheDockerfileLibrary() {
        noClasses().that().resideInAPackage("io.strata.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.strata.registry..", "io.strata.worker..", "io.strata.local..", "io.strata.kube..", "io.strata.cli..",
                        "io.strata.testkit..", "io.strata.server..")
                .check(classes);
    }

    /** The registry client serves every engine and the orchestrator: it depends on the core only. */
    @Test
    void registryClientDependsOnlyOnTheCore() {
        noClasses().that().resideInAPackage("io.strata.registry..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.strata.worker..", "io.strata.local..", "io.strata.kube..", "io.strata.cli..", "io.strata.testkit..",
                        "io.strata.server..")
                .check(classes);
    }

    /**
     * The worker (steps, buildah, git, processes, the build network) runs in-process under the local
     * engine, in a worker pod and in tests: it knows no store, no service, no scheduler and no front
     * end. What it needs of the store comes through an interface of its own (ReleaseAllocator).
     */
    @Test
    void workerDependsOnNoStoreOrServer() {
        noClasses().that().resideInAPackage("io.strata.worker..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.strata.core.store..", "io.strata.core.service..", "io.strata.local..", "io.strata.kube..",
                        "io.strata.server..", "io.strata.cli..", "io.strata.testkit..", "java.sql..", "org.flywaydb..")
                .check(classes);
    }

    @Test
    void enginesDoNotDependOnEachOtherOrTheCommandLine() {
        noClasses().that().resideInAPackage("io.strata.local..")
                .should().dependOnClassesThat().resideInAnyPackage("io.strata.kube..", "io.strata.cli..")
                .check(classes);
        noClasses().that().resideInAPackage("io.strata.kube..")
                .should().dependOnClassesThat().resideInAnyPackage("io.strata.local..", "io.strata.cli..")
                .check(classes);
    }

    /** The server is a front end of the core's service: no command line, no cluster code in it. */
    @Test
    void serverDependsOnTheCoreAndTheStoreOnly() {
        noClasses().that().resideInAPackage("io.strata.server..")
                .should().dependOnClassesThat().resideInAnyPackage("io.strata.kube..", "io.strata.cli..", "picocli..")
                .check(classes);
        noClasses().that().resideInAnyPackage(
                        "io.strata.core..", "io.strata.registry..", "io.strata.worker..", "io.strata.local..", "io.strata.kube..")
                .should().dependOnClassesThat().resideInAPackage("io.strata.server..")
                .check(classes);
    }

    /** The machine-pool controller builds on the cluster: the core and the registry client, no engine, store or front end. */
    @Test
    void controllerDependsOnTheCoreAndTheRegistryClientOnly() {
        noClasses().that().resideInAPackage("io.strata.controller..")
                .should().dependOnClassesThat().resideInAnyPackage("io.strata.worker..", "io.strata.local..", "io.strata.kube..",
                        "io.strata.server..", "io.strata.cli..", "io.strata.testkit..", "java.sql..")
                .check(classes);
        noClasses().that().resideInAnyPackage("io.strata.core..", "io.strata.registry..", "io.strata.worker..", "io.strata.local..",
                        "io.strata.kube..", "io.strata.server..")
                .should().dependOnClassesThat().resideInAPackage("io.strata.controller..")
                .check(classes);
    }

    @Test
    void coreKeepsNoThirdPartyInfrastructure() {
        noClasses().that().resideInAPackage("io.strata.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.eclipse.jgit..", "io.fabric8..", "picocli..", "java.sql..", "org.flywaydb..")
                .check(classes);
    }

    /**
     * The environment is read in one place and handed down (StrataEnvironment), so tests can run the
     * real command line on an environment of their own and never reach the user's STRATA_HOME,
     * STRATA_CONFIG or KUBECONFIG. RegistryAuthFile reads podman's REGISTRY_AUTH_FILE/XDG_RUNTIME_DIR
     * lookup for the default auth file, StorageLocation buildah's CONTAINERS_STORAGE_CONF (only when the
     * options name no storage of their own, as the tests' do) to find the storage buildah itself uses, and
     * ThisProcess falls back to $HOSTNAME to name a lease's owner, and the build daemon's client reads
     * $STRATA_LAUNCHER to build in a process of its own when no daemon answers (it loads no class of Strata's
     * but its own two, StrataEnvironment's configuration and picocli included); the test kit and the
     * benchmarks are not Strata itself.
     */
    @Test
    void onlyStrataEnvironmentReadsTheProcessEnvironment() {
        noClasses().that().resideInAPackage("io.strata..")
                .and().resideOutsideOfPackages("io.strata.testkit..", "io.strata.bench..")
                .and().doNotHaveFullyQualifiedName(StrataEnvironment.class.getName())
                .and().doNotHaveFullyQualifiedName("io.strata.registry.RegistryAuthFile")
                .and().doNotHaveFullyQualifiedName("io.strata.worker.buildah.StorageLocation")
                .and().doNotHaveFullyQualifiedName("io.strata.local.worker.ThisProcess")
                .should().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getenv", String.class)
                .check(classes);
    }
}
