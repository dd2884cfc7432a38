package io.strata.local.worker;

import io.strata.core.StrataException;

/** Hands out release numbers so that no two builds of a component+version share one. Backed by the store. */
interface ReleaseAllocator {
    /** The next free release, reserved for the caller. */
    int next(String component, String version) throws StrataException;

    /** Reserves an explicit release; false when another build already has it. */
    boolean claim(String component, String version, String release) throws StrataException;
}
