package io.strata.local.store;

/** How many queued builds of one engine and platform wait (PENDING) and run (RUNNING) now. */
public record QueueCount(String engine, String platform, int pending, int running) {}
