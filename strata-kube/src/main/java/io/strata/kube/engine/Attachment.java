package io.strata.kube.engine;

/**
 * A worker found again after a service restart: the cluster it runs on, its object's name (a Pod,
 * an OpenShift Build) and how many lines of its log the build's record holds already.
 */
record Attachment(ClusterPool.Member member, String name, long recordedLines) {}
