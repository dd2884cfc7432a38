package io.strata.cli.autorebuild;

import picocli.CommandLine.Command;

/**
 * {@code strata autorebuild enable|list|disable}: the components rebuilt when a parent image of
 * their last successful build changes (docs/builds.md, "Autorebuild"). The policies live in the
 * build store; {@code strata serve} looks at the parents and submits the rebuilds.
 */
@Command(name = "autorebuild", mixinStandardHelpOptions = true,
        description = "Rebuild components when a parent image changes: enable, list and disable policies.",
        subcommands = {EnableAutorebuildCommand.class, ListAutorebuildCommand.class, DisableAutorebuildCommand.class})
public final class AutorebuildCommand {}
