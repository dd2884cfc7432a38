package io.strata.local.git;

import java.net.URI;
import java.net.URISyntaxException;

/** Git URIs as they may be shown: without the credentials some users put in them. */
final class GitUris {
    private GitUris() {}

    /** The URI with any user-info (user:token@) removed. */
    static String forDisplay(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
                    uri.getFragment()).toString();
        } catch (URISyntaxException e) {
            return uri.getScheme() + "://" + uri.getHost() + "/...";
        }
    }

    /** A message (typically JGit's, which repeats the URI) with the URI's user-info removed. */
    static String scrub(String message, URI uri) {
        if (message == null) {
            return "";
        }
        String scrubbed = message;
        if (uri.getRawUserInfo() != null) {
            scrubbed = scrubbed.replace(uri.getRawUserInfo() + "@", "");
        }
        if (uri.getUserInfo() != null) {
            scrubbed = scrubbed.replace(uri.getUserInfo() + "@", "").replace(uri.getUserInfo(), "****");
        }
        return scrubbed;
    }
}
