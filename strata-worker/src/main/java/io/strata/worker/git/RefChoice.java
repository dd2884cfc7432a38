package io.strata.worker.git;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;

/**
 * What to fetch for a build's ref, decided from the refs the server advertises, in git's order of
 * preference: an explicit "refs/..." name, "origin/branch" (as osbs-client passes it), a branch,
 * a tag, then a full or abbreviated commit id.
 */
sealed interface RefChoice {
    Pattern FULL_ID = Pattern.compile("[0-9a-fA-F]{40}");
    Pattern SHORT_ID = Pattern.compile("[0-9a-fA-F]{4,39}");

    /** An advertised ref; {@code id} is what it points at (a commit, or an annotated tag object). */
    record Tip(String refName, ObjectId id) implements RefChoice {}

    /** A commit named by its full id. */
    record Commit(ObjectId id) implements RefChoice {}

    /** An abbreviated id that no advertised ref points at: only the history can tell which commit it is. */
    record Abbreviated(AbbreviatedObjectId prefix) implements RefChoice {}

    /** An abbreviated id that several advertised commits start with. */
    record Ambiguous(int candidates) implements RefChoice {}

    /** No ref of that name, and not an id. */
    record Missing() implements RefChoice {}

    static boolean isFullId(String gitRef) {
        return FULL_ID.matcher(gitRef).matches();
    }

    static RefChoice choose(String gitRef, Map<String, Ref> advertised) {
        for (String name : names(gitRef)) {
            Ref ref = advertised.get(name);
            if (ref != null && ref.getObjectId() != null) {
                return new Tip(name, ref.getObjectId());
            }
        }
        if (isFullId(gitRef)) {
            return new Commit(ObjectId.fromString(gitRef.toLowerCase(Locale.ROOT)));
        }
        if (!SHORT_ID.matcher(gitRef).matches()) {
            return new Missing();
        }
        AbbreviatedObjectId prefix = AbbreviatedObjectId.fromString(gitRef.toLowerCase(Locale.ROOT));
        Set<ObjectId> matches = new LinkedHashSet<>();
        for (Ref ref : advertised.values()) {
            ObjectId commit = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
            if (commit != null && prefix.prefixCompare(commit) == 0) {
                matches.add(commit);
            }
        }
        return switch (matches.size()) {
            case 0 -> new Abbreviated(prefix);
            case 1 -> new Commit(matches.iterator().next());
            default -> new Ambiguous(matches.size());
        };
    }

    private static List<String> names(String gitRef) {
        List<String> names = new ArrayList<>();
        if (gitRef.startsWith(Constants.R_REFS)) {
            names.add(gitRef);
        }
        if (gitRef.startsWith("origin/")) {
            names.add(Constants.R_HEADS + gitRef.substring("origin/".length()));
        }
        names.add(Constants.R_HEADS + gitRef);
        names.add(Constants.R_TAGS + gitRef);
        return names;
    }
}
