/**
 * Getting a build's source: {@link io.strata.local.git.Workspace} (a build's private directory)
 * and {@link io.strata.local.git.GitCheckout} (one commit fetched shallow into a per-repository
 * cache, its files written in parallel and hard-linked into the workspace).
 */
package io.strata.local.git;
