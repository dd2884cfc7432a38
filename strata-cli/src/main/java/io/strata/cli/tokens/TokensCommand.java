package io.strata.cli.tokens;

import picocli.CommandLine.Command;

/**
 * {@code strata tokens create|list|revoke}: the API tokens of the build service ({@code strata
 * serve}). They live in the build store, so these commands work on the server's machine (or against
 * its PostgreSQL store) while the server runs; there is no HTTP route for them.
 */
@Command(name = "tokens", mixinStandardHelpOptions = true,
        description = "Create, list and revoke API tokens of the build service (strata serve).",
        subcommands = {CreateTokenCommand.class, ListTokensCommand.class, RevokeTokenCommand.class})
public final class TokensCommand {}
