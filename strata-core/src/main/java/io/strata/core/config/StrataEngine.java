package io.strata.core.config;

import java.util.Locale;

/** Where worker builds run; chosen by the {@code strata_engine} key. */
public enum StrataEngine {
    /** buildah as a subprocess on this machine. */
    LOCAL,
    /** a Pod running {@code strata worker}. */
    KUBERNETES,
    /** an OpenShift BuildConfig + Build with the custom strategy. */
    OPENSHIFT,
    /** builds walk through every state without building (load tests); {@code strata_dry_run_delay} each. */
    DRY_RUN;

    /** The spelling used in configuration files: lower case, {@code dry-run} with a dash. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The engine a configuration names ({@link #configName()}); the loader has checked the choice. */
    public static StrataEngine fromConfigName(String name) {
        return valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
