/**
 * buildah as a subprocess: {@link io.strata.local.buildah.Buildah} builds, pushes, inspects and
 * lists rpms; failures are {@link io.strata.local.buildah.BuildahException}s with reason codes.
 */
package io.strata.local.buildah;
