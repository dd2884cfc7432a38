/**
 * Getting a build's source: {@link io.strata.local.git.Workspace} (a build's private directory)
 * and {@link io.strata.local.git.GitCheckout} (fetch a repository and check out one ref with JGit).
 */
package io.strata.local.git;
