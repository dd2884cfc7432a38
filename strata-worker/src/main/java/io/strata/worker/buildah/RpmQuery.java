package io.strata.worker.buildah;

import io.strata.core.build.RpmComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code rpm -qa --qf} query that lists an image's packages, and the parser for its output.
 * Fields are tab-separated so that no field value can be mistaken for a separator.
 */
final class RpmQuery {
    static final String QUERY_FORMAT = "%{NAME}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SIGMD5}\\t%{EPOCH}\\n";
    private static final String RPM_NONE = "(none)";
    /** The keys rpm imports show up as packages; they are not content of the image. */
    private static final String GPG_PUBKEY = "gpg-pubkey";

    private RpmQuery() {}

    /** Parses rpm's output; "(none)" (no epoch, or no signature digest) becomes null. */
    static List<RpmComponent> parse(List<String> lines) {
        List<RpmComponent> components = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length != 6) {
                throw new IllegalArgumentException("rpm printed a line with " + fields.length
                        + " fields instead of 6: " + line);
            }
            if (fields[0].equals(GPG_PUBKEY)) {
                continue;
            }
            components.add(new RpmComponent(fields[0], fields[1], fields[2], fields[3],
                    orNull(fields[4]), orNull(fields[5])));
        }
        return List.copyOf(components);
    }

    private static String orNull(String field) {
        return field.equals(RPM_NONE) || field.isEmpty() ? null : field;
    }
}
