package io.strata.core.config;

import java.util.Locale;

/** Where worker builds run; chosen by the {@code strata_engine} key. */
public enum StrataEngine {
    /** buildah as a subprocess on this machine. */
    LOCAL,
    /** a Pod running {@code strata worker}. */
    KUBERNETES,
    /** an OpenShift BuildConfig + Build with the custom strategy. */
    OPENSHIFT;

    /** The spelling used in configuration files: lower case. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
