package io.strata.core.io;

import java.util.regex.Pattern;

/**
 * Makes a URL safe to show or store: passwords written into it are masked. Covers
 * {@code //user:password@host} and {@code password=} settings (query parameters, H2 settings,
 * sslpassword and friends). Used for store URLs in messages and for every configuration value
 * kept in a build's record.
 */
public final class UrlCredentials {
    public static final String MASK = "****";
    /** {@code password=...} as a query parameter or an H2 setting; also sslpassword and friends. */
    private static final Pattern PASSWORD_SETTING = Pattern.compile("(?i)([?&;][a-z_.]*password=)[^&;]*");
    /** {@code //user:password@host}. */
    private static final Pattern USER_INFO = Pattern.compile("//([^/@:]*):[^/@]*@");

    private UrlCredentials() {}

    public static String redact(String url) {
        String withoutSettings = PASSWORD_SETTING.matcher(url).replaceAll("$1" + MASK);
        return USER_INFO.matcher(withoutSettings).replaceAll("//$1:" + MASK + "@");
    }
}
