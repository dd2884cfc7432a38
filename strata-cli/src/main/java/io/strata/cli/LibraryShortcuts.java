package io.strata.cli;

/**
 * System properties that spare two libraries a search of the whole class path as a command starts.
 * A class or service file that is not in a jar already open is looked for in every jar the command
 * line's class path names (about 150), opening each one: picocli's first command line took 80 ms in a
 * fresh JVM, a third of it looking for a Groovy class (docs/benchmarks.md, "CLI start-up", fourth pass).
 * Applied before the first command line is made; a value the user set ({@code -D}, STRATA_JAVA_OPTS) is kept.
 */
final class LibraryShortcuts {
    /** picocli looks for Groovy's {@code Closure} when its factory loads: Strata's annotations hold no closures. */
    static final String PICOCLI_NO_CLOSURES = "picocli.disable.closures";
    /** slf4j asks the ServiceLoader for its providers (a service file in every jar); the command line ships one. */
    static final String SLF4J_PROVIDER = "slf4j.provider";
    static final String SLF4J_SIMPLE = "org.slf4j.simple.SimpleServiceProvider";
    /** Named that way, slf4j says so on stderr at INFO: only its warnings and errors reach the user. */
    static final String SLF4J_VERBOSITY = "slf4j.internal.verbosity";

    private LibraryShortcuts() {}

    static void apply() {
        keepOrSet(PICOCLI_NO_CLOSURES, "true");
        keepOrSet(SLF4J_VERBOSITY, "WARN");
        keepOrSet(SLF4J_PROVIDER, SLF4J_SIMPLE);
    }

    private static void keepOrSet(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
