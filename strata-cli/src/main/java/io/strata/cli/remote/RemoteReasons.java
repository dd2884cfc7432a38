package io.strata.cli.remote;

/** Reason codes of the CLI's side of the build service (docs/reasons.md, "Build service"). */
final class RemoteReasons {
    /** Nothing answers at the server URL. */
    static final String SERVER_UNREACHABLE = "SERVER_UNREACHABLE";
    /** The server answered something that is not the build service's JSON. */
    static final String SERVER_ERROR = "SERVER_ERROR";
    /** The server URL is not an http(s) URL. */
    static final String SERVER_URL_INVALID = "SERVER_URL_INVALID";
    /** A server is configured but no token is. */
    static final String SERVER_TOKEN_MISSING = "SERVER_TOKEN_MISSING";
    /** strata_server_token_file cannot be read, is empty, or others may read it. */
    static final String SERVER_TOKEN_FILE_INVALID = "SERVER_TOKEN_FILE_INVALID";

    private RemoteReasons() {}
}
