/**
 * The worker: the build steps over {@link io.strata.worker.WorkerState} and the
 * {@link io.strata.worker.LocalWorker} that maps the plan's step names to them. It knows no store
 * and no service (what it needs of one, such as release numbers, comes through an interface like
 * {@link io.strata.worker.ReleaseAllocator}), so the same code runs in-process under the local
 * engine, in a worker pod and in tests.
 */
package io.strata.worker;
