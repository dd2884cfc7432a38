package io.strata.cli;

import picocli.CommandLine;

/** Reports the version recorded in the jar manifest (the Maven project version). */
final class StrataVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = StrataVersion.class.getPackage().getImplementationVersion();
        return new String[] {"strata " + (version == null ? "development build" : version)};
    }
}
