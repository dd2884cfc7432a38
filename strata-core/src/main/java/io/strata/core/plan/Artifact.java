package io.strata.core.plan;

/**
 * What one step of a plan hands to later ones. Each {@link StepCatalog} step declares the
 * artifacts it needs, may use and provides; {@link PlanChain} checks a plan against these before
 * it runs, and the executor skips a step whose needed artifact an earlier step failed to provide.
 */
public enum Artifact {
    SOURCE("the checked-out source"),
    DOCKERFILE("the parsed Dockerfile"),
    PINNED_PARENTS("the digest-pinned parent images"),
    IMAGE_IDENTITY("the image's name, version and release"),
    YUM_REPOS("the fetched yum repo files"),
    BUILT_IMAGE("the built image"),
    PUSHED_IMAGE("the pushed image"),
    IMAGE_CONTENT("the image's rpm content");

    private final String description;

    Artifact(String description) {
        this.description = description;
    }

    /** For messages: "the pushed image". */
    public String description() {
        return description;
    }
}
