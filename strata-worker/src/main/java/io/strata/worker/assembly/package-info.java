/**
 * Direct assembly: images of COPY-only stages built by Strata itself, without buildah, as Jib and ko
 * do. {@link io.strata.worker.assembly.DirectAssembly} decides whether a Dockerfile qualifies and
 * assembles it: the base image's layers are mounted in the registry (never pulled), each COPY is
 * streamed as a reproducible tar through a parallel gzip straight into the upload, and the
 * configuration is written as buildah would. docs/builds.md, "Direct assembly".
 */
package io.strata.worker.assembly;
