package io.strata.dockerfile;

/**
 * One build stage (one FROM).
 *
 * @param index         0-based stage number
 * @param image         the image, expanded with the ARGs declared before the first FROM
 * @param name          the {@code AS} name, lower-cased as BuildKit does, or null
 * @param platform      the {@code --platform} flag as written, or null
 * @param buildsOnStage true when {@code image} names an earlier stage rather than an image
 */
public record Stage(int index, String image, String name, String platform, boolean buildsOnStage) {}
