package io.strata.server;

/** Reason codes of the build service's own refusals (docs/reasons.md, "Build service"). */
public final class ServerReasons {
    /** No Authorization header on a route that needs a token (401). */
    public static final String TOKEN_MISSING = "TOKEN_MISSING";
    /** An Authorization header that is not {@code Bearer strata_...} (401). */
    public static final String TOKEN_MALFORMED = "TOKEN_MALFORMED";
    /** A token the service does not know, or a revoked one (401). */
    public static final String TOKEN_INVALID = "TOKEN_INVALID";
    /** A token past its expiry (401). */
    public static final String TOKEN_EXPIRED = "TOKEN_EXPIRED";
    /** The body is not JSON, or not a JSON object (400). */
    public static final String REQUEST_JSON_MALFORMED = "REQUEST_JSON_MALFORMED";
    /** A field the request document does not have (400). */
    public static final String REQUEST_FIELD_UNKNOWN = "REQUEST_FIELD_UNKNOWN";
    /** A field of the wrong type (400). */
    public static final String REQUEST_FIELD_INVALID = "REQUEST_FIELD_INVALID";
    /** A body above the limit (413). */
    public static final String REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE";
    /** A query parameter or Last-Event-ID that does not parse (400). */
    public static final String QUERY_PARAMETER_INVALID = "QUERY_PARAMETER_INVALID";
    /** No route at this path and method (404). */
    public static final String ROUTE_NOT_FOUND = "ROUTE_NOT_FOUND";
    /** An exception that is not a StrataException: a bug (500, no stack trace in the answer). */
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private ServerReasons() {}
}
