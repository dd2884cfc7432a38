package io.strata.core.service;

import io.strata.core.StrataException;
import java.util.List;

/**
 * Taking engines and platforms out of rotation (docs/service.md, "Engines"): a drained engine or
 * platform finishes its RUNNING builds and claims no new ones; its PENDING builds wait until it is
 * undrained. The state lives in the store, so every member of a fleet honours it. Local
 * ({@code strata engines} on the store) and remote ({@code --server}) alike.
 */
public interface EngineService {
    /** Every known engine and platform: limits, running and queued builds, whether drained. */
    List<EngineStatus> engines(Caller caller) throws StrataException;

    /** Drains the engine or platform called {@code name} (ENGINE_UNKNOWN when there is none; admins only). */
    EngineStatus drain(String name, Caller caller) throws StrataException;

    /** Puts it back in rotation (ENGINE_UNKNOWN when there is none; admins only). */
    EngineStatus undrain(String name, Caller caller) throws StrataException;
}
