package io.strata.kube.streams;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes group variables such as {@code {MAJOR}} and {@code {MINOR}} into a group file's text
 * before it is parsed, as doozer does, so streams.yml can say
 * {@code registry.ci.openshift.org/ocp/builder:rhel-8-base-openshift-{MAJOR}.{MINOR}}. Only names
 * defined in {@code vars} are replaced; any other braces are left alone. Substitution never adds or
 * removes lines, so YAML error lines still point into the file as written.
 */
final class GroupVars {
    private static final Pattern REFERENCE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, String> vars;

    GroupVars(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    String expand(String text) {
        if (vars.isEmpty() || text.indexOf('{') < 0) {
            return text;
        }
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (matcher.find()) {
            String value = vars.get(matcher.group(1));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? matcher.group() : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
