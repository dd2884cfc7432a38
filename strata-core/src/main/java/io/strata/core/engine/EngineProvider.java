package io.strata.core.engine;

import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/**
 * Opens engines that live in another module than the service's (the cluster engines of
 * strata-kube), found with {@link java.util.ServiceLoader}: the service module names no engine
 * module, and the module graph stays as it is (engines do not depend on each other).
 */
public interface EngineProvider {
    /** The {@code strata_engine} values this provider opens: {@code kubernetes}, {@code openshift}. */
    Set<String> names();

    /**
     * @param environment the process environment as the front end read it ({@code KUBECONFIG},
     *                    {@code KUBERNETES_SERVICE_HOST}); never read again inside
     */
    Engine open(String name, Configuration config, Map<String, String> environment, PrintStream diagnostics) throws StrataException;
}
