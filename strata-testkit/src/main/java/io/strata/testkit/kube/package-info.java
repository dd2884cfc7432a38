/**
 * A Kubernetes (and OpenShift) cluster for tests, where none can run: {@link
 * io.strata.testkit.kube.MockKubeFixture} (fabric8's mock API server in CRUD mode on loopback, a
 * kubeconfig for subprocesses, {@link io.strata.testkit.kube.Route}s for what the mock lacks and for
 * injected failures) and {@link io.strata.testkit.kube.TestKubelet} (runs the mock's pods as local
 * processes and writes their status and log back; turns OpenShift Builds into pods through a
 * {@link io.strata.testkit.kube.BuildHandler}). See {@code docs/cluster.md}, "Testing without a
 * cluster".
 */
package io.strata.testkit.kube;
