package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The shortcuts name what the libraries would otherwise search the class path for: the provider named
 * must be the one the command line ships (else slf4j warns and searches after all), and a value the
 * user set stays.
 */
class LibraryShortcutsTest {
    @Test
    void theNamedSlf4jProviderIsOnTheClassPath() throws Exception {
        Class<?> provider = Class.forName(LibraryShortcuts.SLF4J_SIMPLE);
        assertThat(org.slf4j.spi.SLF4JServiceProvider.class.isAssignableFrom(provider)).isTrue();
    }

    @Test
    void aValueTheUserSetIsKept() {
        String before = System.getProperty(LibraryShortcuts.PICOCLI_NO_CLOSURES);
        try {
            System.setProperty(LibraryShortcuts.PICOCLI_NO_CLOSURES, "false");
            LibraryShortcuts.apply();
            assertThat(System.getProperty(LibraryShortcuts.PICOCLI_NO_CLOSURES)).isEqualTo("false");
        } finally {
            if (before == null) {
                System.clearProperty(LibraryShortcuts.PICOCLI_NO_CLOSURES);
            } else {
                System.setProperty(LibraryShortcuts.PICOCLI_NO_CLOSURES, before);
            }
        }
    }

    @Test
    void unsetValuesAreSet() {
        LibraryShortcuts.apply();
        assertThat(System.getProperty(LibraryShortcuts.SLF4J_PROVIDER)).isEqualTo(LibraryShortcuts.SLF4J_SIMPLE);
        assertThat(System.getProperty(LibraryShortcuts.SLF4J_VERBOSITY)).isEqualTo("WARN");
    }
}
