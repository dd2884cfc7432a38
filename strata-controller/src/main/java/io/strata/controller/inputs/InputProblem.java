package io.strata.controller.inputs;

/**
 * Why a pool cannot build: a stable reason code and a message naming what is missing or wrong and how
 * to fix it. Shown as the pool's degraded condition; no build starts while there is one.
 */
public record InputProblem(String reason, String message) {
}
