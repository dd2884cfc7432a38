package io.strata.core.io;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that knows where credentials hide in a URL, for every URL Strata is given (git URIs,
 * yum repo URLs, store URLs, registry URLs) and every text that may repeat one (log lines, failure
 * messages, tool output):
 * <ul>
 *   <li>user info: {@code //user:password@host} and a token used as the user name,
 *       {@code //ghp_xxx@host} (an ssh user name such as {@code ssh://git@host} is an account, not a
 *       secret, and stays);</li>
 *   <li>credential parameters, in a query or as {@code ;NAME=} settings (H2):
 *       {@code access_token}, {@code token}, {@code password}, {@code sig}, {@code X-Amz-Signature}
 *       and the others of {@link #isCredentialParameter}, case-insensitive;</li>
 *   <li>{@code Authorization: Basic|Bearer ...} header values repeated in a message.</li>
 * </ul>
 * {@link #redact} masks them where a URL is shown, {@link #stripped} removes them where a URL is
 * kept as data (an image label, Koji's source, a git remote), {@link #userInfo} and
 * {@link #secrets} give them to the code that must use or mask them.
 */
public final class UrlCredentials {
    public static final String MASK = "****";

    /** {@code scheme://userinfo@}; greedy up to the last '@' of the authority, so {@code p@ss} is masked whole. */
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*)://([^/\\s?#\"'<>]*)@");
    /** {@code ?name=value}, {@code &name=value}, {@code ;name=value}. */
    private static final Pattern PARAMETER = Pattern.compile("([?&;])([A-Za-z0-9_.\\-]+)=([^&;#\\s\"'<>]*)");
    private static final Pattern AUTHORIZATION = Pattern.compile("(?i)(authorization:\\s*(?:basic|bearer|token)\\s+)[^\\s\"']+");

    private static final Set<String> CREDENTIAL_PARAMETERS = Set.of(
            "access_token", "token", "password", "passwd", "pwd", "pass", "secret", "sig", "signature", "key",
            "api_key", "apikey", "auth", "authorization", "credential", "credentials", "client_secret",
            "private_token", "refresh_token", "id_token", "session_token",
            "x-amz-signature", "x-amz-credential", "x-amz-security-token",
            "x-goog-signature", "x-goog-credential");
    private static final List<String> CREDENTIAL_SUFFIXES = List.of(
            "password", "passwd", "token", "secret", "signature", "_key", "-key", "apikey");
    private static final Set<String> SSH_SCHEMES = Set.of("ssh", "git+ssh", "ssh+git", "sftp");

    private UrlCredentials() {}

    /** A user name and password as written into a URL, percent-decoded; the password may be empty. */
    public record UserInfo(String user, String password) {
        @Override
        public String toString() {
            return "UserInfo[user=" + user + ", password=" + MASK + "]";
        }
    }

    /**
     * {@code text} (a URL, or a message holding URLs) with every credential masked:
     * {@code https://user:****@host/x?token=****}, {@code https://****@github.com/x}.
     */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = replaceUserInfo(text, true);
        masked = replaceParameters(masked, true);
        return AUTHORIZATION.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    }

    /**
     * The URL without its credentials, for a URL kept as data (a label, Koji's {@code source}, the
     * remote of a checkout): user info that is or holds a secret and credential parameters are
     * removed, not masked. An ssh user name stays, as ssh needs it.
     */
    public static String stripped(String url) {
        if (url == null || url.isEmpty()) {
            return url;
        }
        String withoutUser = replaceUserInfo(url, false);
        return replaceParameters(withoutUser, false);
    }

    /** The user info of a URL, when it has one, decoded; empty for ssh users without a password. */
    public static Optional<UserInfo> userInfo(String url) {
        if (url == null) {
            return Optional.empty();
        }
        Matcher m = USER_INFO.matcher(url);
        if (!m.find() || m.start() != firstSchemeStart(url)) {
            return Optional.empty();
        }
        String info = m.group(2);
        int colon = info.indexOf(':');
        if (colon < 0) {
            return SSH_SCHEMES.contains(m.group(1).toLowerCase(Locale.ROOT)) || info.isEmpty()
                    ? Optional.empty() : Optional.of(new UserInfo(decode(info), ""));
        }
        return Optional.of(new UserInfo(decode(info.substring(0, colon)), decode(info.substring(colon + 1))));
    }

    /**
     * Every secret written into {@code url} (password, token used as user name, credential parameter
     * values), raw and percent-decoded, for masking them wherever they might appear on their own.
     */
    public static List<String> secrets(String url) {
        Set<String> found = new LinkedHashSet<>();
        if (url == null) {
            return List.of();
        }
        Matcher user = USER_INFO.matcher(url);
        while (user.find()) {
            String info = user.group(2);
            int colon = info.indexOf(':');
            if (colon >= 0) {
                addRawAndDecoded(found, info.substring(colon + 1));
            } else if (!SSH_SCHEMES.contains(user.group(1).toLowerCase(Locale.ROOT))) {
                addRawAndDecoded(found, info);
            }
        }
        Matcher parameter = PARAMETER.matcher(url);
        while (parameter.find()) {
            if (isCredentialParameter(parameter.group(2))) {
                addRawAndDecoded(found, parameter.group(3));
            }
        }
        found.remove("");
        return List.copyOf(found);
    }

    /** Whether a query parameter or setting of this name carries a credential (case-insensitive). */
    public static boolean isCredentialParameter(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return CREDENTIAL_PARAMETERS.contains(lower) || CREDENTIAL_SUFFIXES.stream().anyMatch(lower::endsWith);
    }

    private static String replaceUserInfo(String text, boolean mask) {
        Matcher m = USER_INFO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String scheme = m.group(1);
            String info = m.group(2);
            int colon = info.indexOf(':');
            boolean ssh = SSH_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
            String replacement;
            if (colon >= 0) {
                String user = info.substring(0, colon);
                replacement = mask ? user + ":" + MASK + "@" : (ssh && !user.isEmpty() ? user + "@" : "");
            } else if (ssh || info.isEmpty()) {
                replacement = info + "@";
            } else {
                replacement = mask ? MASK + "@" : "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(scheme + "://" + replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String replaceParameters(String text, boolean mask) {
        Matcher m = PARAMETER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (!isCredentialParameter(m.group(2))) {
                continue;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(mask ? m.group(1) + m.group(2) + "=" + MASK : m.group(1)));
        }
        m.appendTail(out);
        return mask ? out.toString() : tidyRemovedParameters(out.toString());
    }

    /** After removing {@code name=value} pairs: {@code ?&a=1} -> {@code ?a=1}, a bare trailing {@code ?} or {@code &} goes. */
    private static String tidyRemovedParameters(String url) {
        return url.replaceAll("([?&;])[&;]+", "$1").replaceAll("[?&;]+(?=#|$)", "");
    }

    private static int firstSchemeStart(String url) {
        Matcher m = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://").matcher(url);
        return m.find() ? m.start() : -1;
    }

    private static void addRawAndDecoded(Set<String> found, String value) {
        found.add(value);
        found.add(decode(value));
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notEncoded) {
            return value;
        }
    }
}
