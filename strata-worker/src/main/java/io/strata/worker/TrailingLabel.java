package io.strata.worker;

import io.strata.dockerfile.Dockerfile;
import io.strata.dockerfile.Instruction;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Sets labels in the last stage as {@link Dockerfile#withLabelsSet} does, except that when the
 * Dockerfile ends with a one-line LABEL instruction, the new keys join it instead of going on a
 * LABEL line of their own. With {@code --layers} every instruction is one more image commit
 * (about 0.05 s a build, measured: docs/benchmarks.md, small-build overhead), and two LABEL
 * instructions in a row mean what one holding both means: the same environment expands them,
 * and a later key wins within one instruction as across two. The instruction joined was the last
 * one, so no cached step after it is lost either.
 *
 * <p>The rewritten Dockerfile still says every label it sets. Anything unusual (a LABEL over
 * several lines, the legacy {@code LABEL key value} form, keys that would need quoting) keeps
 * the line of its own: the joined form is used only when it yields exactly the labels the
 * separate line would.
 */
final class TrailingLabel {
    /** Keys written bare; others (spaces, quotes, '=') keep their own, quoted, line. */
    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");

    private TrailingLabel() {}

    static Dockerfile withLabelsSet(Dockerfile dockerfile, Map<String, String> labels) {
        Dockerfile separate = dockerfile.withLabelsSet(labels);
        List<Instruction> instructions = dockerfile.instructions();
        if (instructions.isEmpty()) {
            return separate;
        }
        Instruction last = instructions.getLast();
        List<String> newKeys = labels.keySet().stream().filter(key -> !dockerfile.labels().containsKey(key)).toList();
        if (!last.keyword().equals("LABEL") || last.startLine() != last.endLine() || newKeys.isEmpty()
                || !newKeys.stream().allMatch(key -> BARE_KEY.matcher(key).matches())) {
            return separate;
        }
        // The new keys are added empty, then set as standing keys are: in place, quoted as the editor quotes.
        StringBuilder line = new StringBuilder(last.text().stripTrailing());
        newKeys.forEach(key -> line.append(' ').append(key).append("=\"\""));
        Dockerfile joined;
        try {
            joined = dockerfile.withLinesReplacing(last, line.toString()).withLabelsSet(labels);
        } catch (io.strata.dockerfile.UncheckedDockerfileException unusual) {
            return separate;
        }
        boolean same = joined.labels().equals(separate.labels()) && joined.instructions().size() == instructions.size();
        return same ? joined : separate;
    }
}
