package io.strata.worker.supply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads dpkg's database, {@code /var/lib/dpkg/status}: RFC 822-style stanzas, one per package; a
 * package counts as installed when its Status is {@code install ok installed} (dpkg-query -W lists
 * the same). Nothing runs inside the image: the file is read from its mounted root.
 */
public final class DpkgStatus {
    private DpkgStatus() {}

    public static List<OsPackage> installed(String status, String distro) {
        List<OsPackage> packages = new ArrayList<>();
        for (String stanza : status.split("\n\\s*\n")) {
            Map<String, String> fields = fields(stanza);
            String state = fields.getOrDefault("Status", "");
            if (fields.containsKey("Package") && fields.containsKey("Version") && state.endsWith(" installed")) {
                packages.add(new OsPackage("deb", distro, fields.get("Package"), fields.get("Version"),
                        fields.getOrDefault("Architecture", "")));
            }
        }
        return List.copyOf(packages);
    }

    private static Map<String, String> fields(String stanza) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : stanza.split("\n")) {
            // Continuation lines (descriptions, conffiles) start with a blank and belong to the field before.
            if (line.isEmpty() || Character.isWhitespace(line.charAt(0))) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }
}
