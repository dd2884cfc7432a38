package io.strata.local.ops;

import java.time.Instant;

/**
 * What a prune removed: build records (with their log lines and the log's bytes), workspaces,
 * secret files and buildah images, each with the bytes it freed. {@code imagesKept}: images of
 * pruned builds that a container still uses, left in place.
 */
public record PruneReport(Instant finishedBefore, int builds, long logLines, long logBytes, int workspaces,
        long workspaceBytes, int secrets, long secretBytes, int images, long imageBytes, int imagesKept) {

    public long freedBytes() {
        return logBytes + workspaceBytes + secretBytes + imageBytes;
    }

    /** One line for people: counts and sizes. */
    public String summary() {
        return "pruned builds finished before " + finishedBefore + ": " + builds + " records (" + logLines + " log lines, "
                + size(logBytes) + "), " + workspaces + " workspaces (" + size(workspaceBytes) + "), " + secrets
                + " secrets (" + size(secretBytes) + "), " + images + " images (" + size(imageBytes) + ")"
                + (imagesKept > 0 ? ", " + imagesKept + " images kept (in use)" : "") + "; " + size(freedBytes()) + " freed";
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
