package io.strata.cli.autorebuild;

import picocli.CommandLine.Option;

/** Which policy: a component and the git branch its builds come from. */
final class PolicyOptions {
    @Option(names = "--component", required = true, paramLabel = "NAME", description = "The component, as its builds name it.")
    String component;

    @Option(names = "--git-branch", required = true, paramLabel = "BRANCH",
            description = "The branch whose last successful build is rebuilt.")
    String gitBranch;
}
