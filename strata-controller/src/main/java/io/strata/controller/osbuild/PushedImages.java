package io.strata.controller.osbuild;

import io.strata.registry.ImageReference;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryClientConfig;
import io.strata.registry.RegistryException;

/**
 * Whether a built image is still in its registry, so a finished MachineOSBuild is reused rather than
 * rebuilt. Only a clear "not there" (404) counts as gone: an unreachable registry or refused
 * credentials do not throw a good build away.
 */
public final class PushedImages {
    private final RegistryClientConfig config;

    public PushedImages(RegistryClientConfig config) {
        this.config = config;
    }

    public boolean exists(String digestedPullspec) {
        try (RegistryClient registry = new RegistryClient(config)) {
            return registry.tagExists(ImageReference.parse(digestedPullspec));
        } catch (RegistryException e) {
            return e.reasonCode() != RegistryException.Reason.IMAGE_NOT_FOUND;
        }
    }
}
