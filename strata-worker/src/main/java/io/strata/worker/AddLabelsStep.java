package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.io.UrlCredentials;
import io.strata.core.config.Configuration;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import io.strata.dockerfile.Dockerfile;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * add_labels_in_dockerfile: decides who the image is and which labels Strata sets on it (written into
 * the pushed image's configuration by tag_and_push, see {@link ImageIdentity#set}).
 * Labels already in the Dockerfile stand unless cluster policy (the plan's {@code labels}) or the
 * request overrides them; the automatic ones (build-date, architecture, vcs-*) are always set
 * (build-date is the commit's time unless {@code strata_build_date = wallclock});
 * release is computed as the next free one for component+version when nobody gave one.
 */
final class AddLabelsStep implements Step<WorkerState> {
    static final String COMPONENT = "com.redhat.component";
    static final String NAME = "name";
    static final String VERSION = "version";
    static final String RELEASE = "release";

    private final Configuration config;
    private final ReleaseAllocator releases;

    AddLabelsStep(Configuration config, ReleaseAllocator releases) {
        this.config = config;
        this.releases = releases;
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException {
        Dockerfile dockerfile = state.requireDockerfile();
        var request = state.request();
        Map<String, String> existing = dockerfile.labels();

        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.putAll(context.config().stringMapArg("labels"));
        wanted.putAll(request.labels());
        if (!existing.containsKey(COMPONENT) && !wanted.containsKey(COMPONENT)) {
            wanted.put(COMPONENT, request.component());
        }
        // The commit's time by default: the same label in every build of the commit is what lets two builds share a digest.
        java.time.Instant buildDate = config.buildDateFromSource() ? state.requireSource().commitTime() : state.startedAt();
        wanted.put("build-date", DateTimeFormatter.ISO_INSTANT.format(buildDate.truncatedTo(ChronoUnit.SECONDS)));
        wanted.put("architecture", state.platform().kojiArch());
        wanted.put("vcs-type", "git");
        wanted.put("vcs-url", vcsUrl(request.gitUri()));
        wanted.put("vcs-ref", state.requireSource().commitId());
        if (!config.vendor().isBlank()) {
            wanted.putIfAbsent("vendor", config.vendor());
        }
        if (!config.distributionScope().isBlank()) {
            wanted.putIfAbsent("distribution-scope", config.distributionScope());
        }

        Map<String, String> merged = new LinkedHashMap<>(existing);
        merged.putAll(wanted);
        requireLabels(merged, context.config().stringListArg("required_labels"));

        String component = merged.get(COMPONENT);
        String version = merged.get(VERSION);
        String release = decideRelease(state.releaseOwner(), request.release(), merged.get(RELEASE), component, version, context);
        wanted.put(RELEASE, release);
        merged.put(RELEASE, release);

        // Not written into the Dockerfile: with --layers every LABEL instruction is one more image commit (about
        // 55 ms of a small build). tag_and_push writes them into the configuration it pushes, and an image Strata
        // assembles gets them in the Dockerfile it assembles from (docs/builds.md, "Labels").
        context.log("labels: name=" + merged.get(NAME) + " version=" + version + " release=" + release
                + " (" + wanted.size() + " set)");
        var identity = new ImageIdentity(component, merged.get(NAME), version, release, merged, wanted);
        return state.withIdentity(dockerfile, identity);
    }

    private String decideRelease(io.strata.core.build.BuildId build, String requested, String inDockerfile, String component, String version, StepContext context)
            throws StrataException {
        String explicit = requested != null && !requested.isBlank() ? requested : inDockerfile;
        if (explicit == null || explicit.isBlank()) {
            String computed = Integer.toString(releases.next(build, component, version));
            context.log("release not given: computed " + computed + " (next free for " + component + " " + version + ")");
            return computed;
        }
        if (!releases.claim(build, component, version, explicit)) {
            throw new StrataException("RELEASE_ALREADY_BUILT",
                    component + " " + version + "-" + explicit + " was already built",
                    "bump the release label, or leave it (and the request's release) out to get the next free one computed");
        }
        return explicit;
    }

    private static void requireLabels(Map<String, String> labels, List<String> required) throws StrataException {
        List<String> missing = new ArrayList<>();
        for (String name : required) {
            String value = labels.get(name);
            if (value == null || value.isBlank()) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new StrataException("MISSING_REQUIRED_LABEL",
                    "the image has no " + String.join(", ", missing) + " label" + (missing.size() > 1 ? "s" : ""),
                    "add LABEL " + missing.get(0) + "=... to the last stage of the Dockerfile, or add it to the request's labels: "
                            + missing.get(0) + "=...");
        }
    }

    /**
     * The git URL as the vcs-url label and Koji's source give it: without the user info or
     * credential parameters a URL may carry, which would otherwise end up in every copy of the image.
     */
    static String vcsUrl(String gitUri) {
        return UrlCredentials.stripped(gitUri);
    }
}
