package io.strata.local.worker;

import io.strata.core.build.BuildRecord;
import io.strata.core.request.BuildRequest;

/**
 * A build that was validated and stored, ready to run. The record holds the request without
 * credentials (that is what the store keeps and shows); {@code request} is the original, kept only
 * in memory, because checking out a private repository may need the token in its URI.
 */
public record SubmittedBuild(BuildRecord record, BuildRequest request) {}
