/**
 * Getting a build's source: {@link io.strata.worker.git.Workspace} (a build's private directory)
 * and {@link io.strata.worker.git.GitCheckout} (one commit fetched shallow into a per-repository
 * cache, its files written in parallel and hard-linked into the workspace).
 */
package io.strata.worker.git;
