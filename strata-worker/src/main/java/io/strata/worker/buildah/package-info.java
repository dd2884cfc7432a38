/**
 * buildah as a subprocess: {@link io.strata.worker.buildah.Buildah} builds, pushes, inspects and
 * lists rpms; failures are {@link io.strata.worker.buildah.BuildahException}s with reason codes.
 */
package io.strata.worker.buildah;
