package io.strata.worker.process;

import io.strata.core.io.UrlCredentials;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Makes a line safe to show or store before it leaves the process runner or a build step: every
 * occurrence of a known secret (registry passwords from the auth file, the tokens of the build's git
 * URI and repo URLs) becomes {@code ****}, and then {@link UrlCredentials#redact} masks whatever
 * credential is still written into a URL, known or not. Immutable; safe to share between threads.
 */
public final class SecretMasker {
    public static final String MASK = "****";
    private static final SecretMasker NONE = new SecretMasker(List.of());

    /** Longest first, so a secret that contains a shorter one is masked whole, not in pieces. */
    private final List<String> secrets;

    private SecretMasker(List<String> secrets) {
        this.secrets = secrets;
    }

    /** A masker for these secrets; empty strings are ignored (masking them would mask everything). */
    public static SecretMasker of(Collection<String> secrets) {
        List<String> usable = secrets.stream()
                .map(s -> Objects.requireNonNull(s, "secret"))
                .filter(s -> !s.isEmpty())
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .toList();
        return usable.isEmpty() ? NONE : new SecretMasker(usable);
    }

    /** A masker for every secret written into these URLs (passwords, tokens, credential parameters). */
    public static SecretMasker forUrls(Collection<String> urls) {
        return of(urls.stream().flatMap(url -> UrlCredentials.secrets(url).stream()).toList());
    }

    public static SecretMasker none() {
        return NONE;
    }

    /** A masker hiding this masker's secrets and {@code more}. */
    public SecretMasker and(Collection<String> more) {
        return of(java.util.stream.Stream.concat(secrets.stream(), more.stream()).toList());
    }

    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return UrlCredentials.redact(masked);
    }

    public List<String> mask(List<String> lines) {
        return lines.stream().map(this::mask).toList();
    }
}
