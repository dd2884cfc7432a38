package io.strata.controller.osbuild;

import io.strata.registry.ImageReference;
import io.strata.registry.RegistryAuthFile;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryClientConfig;
import io.strata.registry.RegistryException;

/**
 * Whether a built image is still in its registry, so a finished MachineOSBuild is reused rather than
 * rebuilt. It asks with the build's push credentials: a registry that needs them to read answers 401
 * without, and a refusal says nothing about the image. So only a clear "not there" (404) counts as
 * gone; refused credentials or an unreachable registry are "cannot tell", which keeps the build and
 * says so in the MachineOSConfig's {@code ImageVerified} condition.
 */
public final class PushedImages {
    private final RegistryClientConfig config;

    /** @param config how registries are reached (timeouts, insecure ones); credentials come per check */
    public PushedImages(RegistryClientConfig config) {
        this.config = config;
    }

    /** The configuration, with {@code auth} as its credentials. */
    RegistryClientConfig with(RegistryAuthFile auth) {
        return config.withAuthFile(auth);
    }

    /** What the registry says about {@code digestedPullspec}, asked with {@code auth}. */
    public Presence check(String digestedPullspec, RegistryAuthFile auth) {
        try (RegistryClient registry = new RegistryClient(with(auth))) {
            return registry.tagExists(ImageReference.parse(digestedPullspec)) ? new Presence.Present() : new Presence.Gone();
        } catch (RegistryException e) {
            return switch (e.reasonCode()) {
                case IMAGE_NOT_FOUND -> new Presence.Gone();
                case REGISTRY_AUTH_FAILED -> new Presence.Unknown("IMAGE_CHECK_UNAUTHORIZED", "the registry refused to say whether "
                        + digestedPullspec + " is still there with the credentials of " + auth.describe() + ": " + e.getMessage()
                        + "; give that Secret read access to the repository");
                default -> new Presence.Unknown("IMAGE_CHECK_FAILED", "cannot tell whether " + digestedPullspec + " is still there: "
                        + e.getMessage());
            };
        }
    }

    /** What the registry said about a built image. */
    public sealed interface Presence {
        record Present() implements Presence {
        }

        record Gone() implements Presence {
        }

        /** No answer either way; {@code reason} a stable code, {@code message} what the registry said and what to do. */
        record Unknown(String reason, String message) implements Presence {
        }
    }
}
