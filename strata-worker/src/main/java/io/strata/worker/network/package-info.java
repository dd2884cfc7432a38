/**
 * The network of a build's RUN steps under its {@link io.strata.core.request.NetworkPolicy}: a
 * network namespace per build named after the build id, a veth pair into it, iptables rules on the
 * host side that the build cannot touch, names resolved and pinned before the build starts, and
 * the removal of all of it when the build ends or, after a kill, when the store is reconciled.
 * See docs/network.md.
 */
package io.strata.worker.network;
