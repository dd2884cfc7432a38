package io.strata.kube.streams;

import java.util.regex.Pattern;

/**
 * The API server's rules for the names the generator derives from pullspecs. Checked at generation
 * time so a bad tag fails with the stream's name instead of as an HTTP 422 halfway through an apply.
 */
enum KubernetesNames {
    /** Object names such as a BuildConfig's: RFC 1123 subdomain. */
    SUBDOMAIN(253, Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"),
            "lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters"),
    /** Container names: RFC 1123 label. */
    LABEL(63, Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?"),
            "lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters");

    private final int maxLength;
    private final Pattern pattern;
    private final String rule;

    KubernetesNames(int maxLength, Pattern pattern, String rule) {
        this.maxLength = maxLength;
        this.pattern = pattern;
        this.rule = rule;
    }

    boolean accepts(String name) {
        return name.length() <= maxLength && pattern.matcher(name).matches();
    }

    /** The rule in words, for error messages. */
    String rule() {
        return rule;
    }
}
