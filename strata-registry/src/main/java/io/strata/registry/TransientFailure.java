package io.strata.registry;

import java.util.Optional;

/**
 * A failure that may go away by itself: the registry restarting (connection refused or reset), a
 * server error (5xx) or rate limiting (429). {@link RegistryRetry} tries such operations again.
 */
public interface TransientFailure {
    /** What went wrong, in a few words ("connection refused", "HTTP 503 Service Unavailable"); empty when retrying will not help. */
    Optional<String> transientCause();
}
