package io.strata.core.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The names osbs-client gave builds, kept so existing tooling recognises them:
 * BuildConfig names {@code <repo>-<branch>-<hash>} and image tags
 * {@code <user>/<component>:<target>-<random>-<timestamp>}.
 */
public final class BuildNames {
    /** Pod names are {@code <build>-<n>-build} and at most 64 characters; this leaves room. */
    public static final int MAX_NAME_LENGTH = 53;
    public static final int HASH_LENGTH = 5;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private BuildNames() {}

    /**
     * {@code <repo>-<branch>-<hash>}: the repository's "humanish" name (last path part, no
     * {@code .git}), the branch, and the first five hex digits of the SHA-256 of both (osbs-client's
     * hash, so the same repo and branch get the same name). Characters OpenShift refuses are dropped
     * after lower-casing; the longer of repo and branch is shortened first to fit 53 characters.
     */
    public static String buildConfigName(String gitUri, String branch) {
        String repo = humanishName(gitUri);
        String branchName = branch == null || branch.isBlank() ? "unknown" : branch;
        String hash = sha256Hex(repo + branchName).substring(0, HASH_LENGTH);
        String cleanRepo = sanitize(repo);
        String cleanBranch = sanitize(branchName);
        int budget = MAX_NAME_LENGTH - HASH_LENGTH - 2;
        while (cleanRepo.length() + cleanBranch.length() > budget) {
            if (cleanRepo.length() >= cleanBranch.length()) {
                cleanRepo = cleanRepo.substring(0, cleanRepo.length() - 1);
            } else {
                cleanBranch = cleanBranch.substring(0, cleanBranch.length() - 1);
            }
        }
        StringBuilder name = new StringBuilder();
        for (String part : new String[] {trimDashes(cleanRepo), trimDashes(cleanBranch), hash}) {
            if (!part.isEmpty()) {
                name.append(name.isEmpty() ? "" : "-").append(part);
            }
        }
        return name.toString();
    }

    /** {@code [user/]component:target-NNNNN-yyyyMMddHHmmss}, with target {@code none} when unset. */
    public static String imageTag(String user, String component, String target, int randomNumber, Instant now) {
        return imageRepository(user, component) + ":" + targetName(target) + "-" + randomNumber + "-" + TIMESTAMP.format(now);
    }

    /**
     * The name a local build gives the image it built, formed as {@link #imageTag} forms a
     * BuildConfig's output image: {@code [user/]component:target-<build id>} (the build id already
     * holds the time and is unique, so it stands for the random number and the timestamp).
     */
    public static String localImageTag(String user, String component, String target, String buildId) {
        return imageRepository(user, component) + ":" + targetName(target) + "-" + buildId;
    }

    /** The user, when given, prefixes the image name: {@code user/component}, as osbs-client does. */
    public static String imageRepository(String user, String component) {
        return user == null || user.isBlank() ? component : user + "/" + component;
    }

    private static String targetName(String target) {
        return target == null || target.isBlank() ? "none" : target;
    }

    /** git's "humanish" part of a URI: the last path component without a {@code .git} suffix. */
    public static String humanishName(String gitUri) {
        String path = gitUri.replaceAll("/+$", "");
        path = path.endsWith(".git") ? path.substring(0, path.length() - 4) : path;
        int cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf(':'));
        return path.substring(cut + 1);
    }

    /**
     * A Kubernetes label value: at most 63 of {@code [A-Za-z0-9._-]}, starting and ending with a
     * letter or digit. Other characters are dropped (a branch {@code feature/x} becomes {@code featurex}).
     */
    public static String labelValue(String value) {
        String kept = value.replaceAll("[^A-Za-z0-9._-]", "");
        kept = kept.length() > 63 ? kept.substring(0, 63) : kept;
        return kept.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    }

    private static String sanitize(String part) {
        return part.toLowerCase(Locale.ROOT).replaceAll("[^-a-z0-9]", "");
    }

    private static String trimDashes(String part) {
        return part.replaceAll("^-+", "").replaceAll("-+$", "");
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
