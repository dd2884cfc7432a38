package io.strata.kube.worker;

import io.strata.core.build.BuildId;

/**
 * What a worker pod (or an OpenShift custom-strategy Build) and {@code strata worker} agree on:
 * the environment variables, mount paths, object names and labels. One place, so the engines that
 * make pods and the command that runs in them cannot drift apart.
 *
 * <ul>
 * <li>{@code USER_PARAMS}: the build as {@code strata render build-config} renders it (osbs-client's
 *     contract); URLs in it carry no credentials.</li>
 * <li>{@code REACTOR_CONFIG}: the reactor configuration (YAML) from the {@code reactor_config_map}
 *     ConfigMap, when one is configured.</li>
 * <li>{@code STRATA_WORKER}: Strata's own part ({@link WorkerOrder}): build id, platform, attempt,
 *     where the log continues, network policy, the plan and the worker's configuration values.</li>
 * <li>{@code STRATA_WORKER_SECRETS}: the directories of the mounted secrets (comma-separated): the
 *     build's own Secret ({@link #BUILD_SECRET_MOUNT}: {@code credentials.json} with the request's URLs
 *     as given, {@code registry-auth.json}) and the configured {@code registry_secret}s
 *     ({@code /var/run/secrets/atomic-reactor/NAME}, as osbs-client mounts them).</li>
 * </ul>
 */
public final class WorkerPodContract {
    public static final String USER_PARAMS = "USER_PARAMS";
    public static final String REACTOR_CONFIG = "REACTOR_CONFIG";
    public static final String STRATA_WORKER = "STRATA_WORKER";
    public static final String SECRETS = "STRATA_WORKER_SECRETS";
    /** The pod's own name (a fieldRef), for the result's owner reference; HOSTNAME where not given. */
    public static final String POD_NAME = "POD_NAME";

    /** OpenShift Builds get the build Secret's values by secretKeyRef (a custom-strategy Build mounts only the BuildConfig's secrets). */
    public static final String CREDENTIALS_ENV = "STRATA_WORKER_CREDENTIALS";
    public static final String REGISTRY_AUTH_ENV = "STRATA_WORKER_REGISTRY_AUTH";

    public static final String BUILD_SECRET_MOUNT = "/var/run/secrets/strata/build";
    public static final String CREDENTIALS_FILE = "credentials.json";
    public static final String REGISTRY_AUTH_FILE = "registry-auth.json";

    /** Label on every object of a worker build: its build id (re-attach finds pods by it). */
    public static final String BUILD_ID_LABEL = "strata.io/build-id";
    /** Label on every object Strata makes in a cluster. */
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "strata";
    /** Annotation on the result ConfigMap holding the result document. */
    public static final String RESULT_KEY = "result.json";

    private WorkerPodContract() {}

    /** Object names are DNS labels: lower case, the build id's digits and dashes fit. */
    public static String podName(BuildId id, int attempt) {
        return "strata-worker-" + id.value() + "-" + attempt;
    }

    public static String buildSecretName(BuildId id) {
        return "strata-build-" + id.value();
    }

    public static String resultName(BuildId id) {
        return "strata-result-" + id.value();
    }
}
