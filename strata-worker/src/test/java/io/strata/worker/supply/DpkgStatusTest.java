package io.strata.worker.supply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DpkgStatusTest {
    private static final String STATUS = """
            Package: bash
            Status: install ok installed
            Priority: required
            Architecture: amd64
            Version: 5.2.15-2+b7
            Description: GNU Bourne Again SHell
             Bash is an sh-compatible command language interpreter.
             Version: 9.9 in a description is not a field

            Package: removed-tool
            Status: deinstall ok config-files
            Architecture: amd64
            Version: 1.0-1

            Package: tzdata
            Status: install ok installed
            Architecture: all
            Version: 2024a-0+deb12u1
            """;

    @Test
    void listsOnlyInstalledPackagesWithVersionAndArchitecture() {
        assertThat(DpkgStatus.installed(STATUS, "debian")).containsExactly(
                new OsPackage("deb", "debian", "bash", "5.2.15-2+b7", "amd64"),
                new OsPackage("deb", "debian", "tzdata", "2024a-0+deb12u1", "all"));
    }

    @Test
    void packageUrlsEncodeWhatAPathSegmentCannotHold() {
        assertThat(new OsPackage("deb", "debian", "bash", "5.2.15-2+b7", "amd64").purl())
                .isEqualTo("pkg:deb/debian/bash@5.2.15-2%2Bb7?arch=amd64");
        assertThat(new OsPackage("rpm", "fedora", "curl", "1:8.6.0-7.fc40", "x86_64").purl())
                .isEqualTo("pkg:rpm/fedora/curl@1:8.6.0-7.fc40?arch=x86_64");
    }
}
