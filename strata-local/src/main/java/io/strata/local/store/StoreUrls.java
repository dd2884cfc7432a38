package io.strata.local.store;

import java.util.regex.Pattern;

/** Makes a JDBC URL safe to show: passwords written into the URL itself are masked. */
final class StoreUrls {
    /** {@code password=...} as a query parameter or an H2 setting; also sslpassword and friends. */
    private static final Pattern PASSWORD_SETTING = Pattern.compile("(?i)([?&;][a-z_.]*password=)[^&;]*");
    /** {@code //user:password@host}. */
    private static final Pattern USER_INFO = Pattern.compile("//([^/@:]*):[^/@]*@");

    private StoreUrls() {}

    static String redact(String jdbcUrl) {
        String withoutSettings = PASSWORD_SETTING.matcher(jdbcUrl).replaceAll("$1****");
        return USER_INFO.matcher(withoutSettings).replaceAll("//$1:****@");
    }
}
