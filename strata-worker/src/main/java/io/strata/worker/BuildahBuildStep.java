package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.pipeline.Background;
import io.strata.core.pipeline.Step;
import io.strata.core.render.BuildNames;
import io.strata.core.pipeline.StepContext;
import io.strata.worker.buildah.BudSpec;
import io.strata.worker.buildah.Buildah;
import io.strata.worker.emulation.PlatformEmulation;
import io.strata.core.config.Configuration;
import io.strata.core.engine.ResolvedInputs;
import io.strata.core.request.NetworkPolicy;
import io.strata.worker.network.AllowList;
import io.strata.worker.network.BuildNetwork;
import io.strata.worker.network.NetworkGrant;
import io.strata.worker.network.NetworkRemovals;
import io.strata.worker.network.NetworksAhead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import io.strata.registry.ImageReference;
import io.strata.worker.assembly.AssembledImage;
import io.strata.worker.assembly.DirectAssembly;
import io.strata.worker.assembly.RpmDatabaseProbe;

/**
 * buildah_build: writes the edited Dockerfile into the workspace (the checked-out one stays as it
 * was; Strata's labels are not in it, tag_and_push writes them into the configuration it pushes)
 * and runs {@code buildah bud} on the Dockerfile's directory, every output line going to the
 * build log as it happens. The pinned parent images are pulled first; RUN instructions then get the
 * network of the build's policy (docs/network.md): none (an empty namespace), allowlist (a
 * namespace of the build's own whose rules pass only its yum repos, the registry and
 * {@code strata_build_network_allow}, names pinned in /etc/hosts) or open. The namespace goes when
 * the build ends, however it ends: after a successful bud it is removed in the background while
 * tag_and_push pushes, which waits for it ({@link NetworkRemovals}); otherwise before the step ends.
 * When the request names no yum repository, the network is made while the steps before this one run
 * ({@link #begin}, {@link NetworksAhead}), once the Dockerfile is known to have a RUN instruction.
 * A plan with {@code network: true} (an operator's customize document) gives the host's network, as
 * before policies existed. Besides its build-id tag the image is named as the renderer names a
 * BuildConfig's output, {@code [user/]component:target-<build id>}: {@code --user} prefixes it.
 *
 * <p>A stage that only copies context files and sets metadata is assembled by Strata itself instead
 * ({@link DirectAssembly}; {@code strata_builder = buildah} turns that off): its blobs go straight to
 * the registry and nothing is in local storage.
 */
final class BuildahBuildStep implements Step<WorkerState>, EarlyStart {
    static final String NAME = "buildah_build";
    static final String YUM_REPOS_MOUNT = "/etc/yum.repos.d";

    private final Buildah buildah;
    private final Configuration config;
    private final String registryHost;
    private final AllowList allowList;
    private final DirectAssembly assembly;
    private final RpmDatabaseProbe probe;
    private final NetworkRemovals removals;
    private final NetworksAhead networksAhead;

    /**
     * {@code registryHost}: host:port of the registry, which allowlist builds may reach;
     * {@code assembly}: builds COPY-only stages without buildah when {@code strata_builder} is auto;
     * {@code probe}: gather_image_content's, which reads the parents' layers while the image is built;
     * {@code removals}: removes the build's network after the build, while tag_and_push pushes;
     * {@code networksAhead}: the build networks begun before this step ({@link #begin}).
     */
    BuildahBuildStep(Buildah buildah, Configuration config, String registryHost, AllowList allowList,
            DirectAssembly assembly, RpmDatabaseProbe probe, NetworkRemovals removals, NetworksAhead networksAhead) {
        this.buildah = buildah;
        this.config = config;
        this.registryHost = registryHost;
        this.allowList = allowList;
        this.assembly = assembly;
        this.probe = probe;
        this.removals = removals;
        this.networksAhead = networksAhead;
    }

    /**
     * Begins making the build's network (LocalWorker calls it before check_out_source and again before
     * pin_base_images), when this step runs later and will need one: the Dockerfile has a RUN instruction
     * (so buildah builds it; known before the checkout from what build avoidance resolved, else from the
     * checked-out file), the policy is not none, and no yum repository is requested (their hosts join the
     * grant only once inject_yum_repos has fetched the repo files). The grant is worked out again in
     * {@link #run}, which takes the network only if it is the same.
     */
    @Override
    public WorkerState begin(WorkerState state, StepContext context) throws StrataException {
        boolean runsCommands = state.dockerfile().isPresent() ? runsCommands(state.dockerfile().get())
                : state.resolved().map(ResolvedInputs::runsCommands).orElse(false);
        if (!context.laterSteps().contains(NAME) || !state.request().yumRepoUrls().isEmpty() || !runsCommands
                || networksAhead.holds(state.buildId())) {
            return state;
        }
        try {
            NetworkGrant grant = grant(state, line -> { });
            if (grant.policy() != NetworkPolicy.NONE) {
                networksAhead.begin(state.buildId(), grant);
            }
        } catch (StrataException e) {
            // Only a head start: this step works the grant out again and reports what is wrong with it.
        }
        return state;
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        var source = state.requireSource();
        // While the image is built: after the push, gather_image_content then reads only the build's own layers.
        probe.learnAhead(state.pinnedParents().values(), state.platform());
        // Checked again here (the engine checked before the build was stored): a handler may have gone since.
        PlatformEmulation emulation = PlatformEmulation.ofThisMachine();
        context.log(emulation.describe(state.platform(), emulation.modeFor(state.platform())));
        Path dockerfile = state.workspace().resolve("Dockerfile.strata");
        try {
            // Not forced to disk (AtomicFiles would, 5-10 ms here): a scratch file of this run of the step, written
            // again from the state whenever the step runs again; the state itself is what the store keeps.
            Files.writeString(dockerfile, state.requireDockerfile().content());
        } catch (IOException e) {
            throw new StrataException("WORKSPACE_UNWRITABLE", "cannot write the edited Dockerfile to " + dockerfile + ": " + e.getMessage(),
                    "check free space and permissions under STRATA_HOME", e);
        }
        Path contextDir = source.dir().resolve(state.request().dockerfilePath()).normalize().getParent();
        if (config.directAssembly() && !hostNetwork(context.config())) {
            Optional<AssembledImage> assembled = assembleDirectly(state, contextDir, context);
            if (assembled.isPresent()) {
                context.log("assembled image " + assembled.get().imageId() + " (" + assembled.get().digest() + ")");
                // No RUN step ran, so the build had no network at all.
                networksAhead.release(state.buildId());
                return state.withAssembled(assembled.get()).withNetwork(NetworkGrant.of(NetworkPolicy.NONE));
            }
        }
        BudSpec.Builder spec = budOf(state, contextDir, dockerfile)
                .layers(context.config().boolArg("layers", true))
                // SOURCE_DATE_EPOCH: created times and every file's time in the new layers become the commit's,
                // so the same commit built again gives the same layers, config and digest (docs/builds.md).
                .timestamp(source.commitTime().getEpochSecond())
                .allowNetwork(hostNetwork(context.config()));
        state.request().buildArgs().forEach(spec::buildArg);
        state.pinnedParents().values().forEach(spec::baseImage);
        state.repoDir().ifPresent(dir -> spec.volume(dir + ":" + YUM_REPOS_MOUNT + ":ro"));
        boolean hostNetwork = hostNetwork(context.config());
        NetworkGrant grant = hostNetwork ? NetworkGrant.of(NetworkPolicy.OPEN) : grant(state, context::log);
        context.log(hostNetwork ? "network policy open (the plan's buildah_build network: true): RUN steps use the"
                + " host's network" : grant.describe());
        String imageId;
        if (grant.policy() == NetworkPolicy.NONE || hostNetwork) {
            networksAhead.release(state.buildId());
            imageId = buildah.bud(spec.build(), context::log);
        } else {
            NetworksAhead.Made made = madeFor(state, grant, context);
            BuildNetwork network = made.network();
            boolean built = false;
            try {
                made.warnings().forEach(context::log);
                spec.namespace(network.prefix());
                grant.pinnedHosts().forEach(spec::pinnedHost);
                imageId = buildah.bud(spec.build(), context::log);
                built = true;
            } finally {
                if (built) {
                    // Nothing uses the namespace now: it goes while the image is pushed (tag_and_push waits for it).
                    removals.removeInBackground(state.buildId(), network);
                } else {
                    network.close();
                }
            }
        }
        context.log("built image " + imageId + " (" + localName(state) + ")");
        return state.withImageId(imageId).withNetwork(grant);
    }


    /** Whether {@code dockerfile} has a RUN instruction: buildah builds it, and its RUN steps get the build's network. */
    static boolean runsCommands(io.strata.dockerfile.Dockerfile dockerfile) {
        return dockerfile.instructions().stream().anyMatch(instruction -> instruction.keyword().equalsIgnoreCase("RUN"));
    }

    /** The network begun for this build and grant ({@link #begin}), else one made now. */
    private NetworksAhead.Made madeFor(WorkerState state, NetworkGrant grant, StepContext context)
            throws StrataException, InterruptedException {
        Optional<NetworksAhead.Made> ahead = networksAhead.take(state.buildId(), grant);
        if (ahead.isPresent()) {
            context.log("the build's network was made while the earlier steps ran");
            return ahead.get();
        }
        // Its route look-ups (a process per allowed address) run while the network is made.
        var warnings = Background.start("strata-forwarding-check", () -> BuildNetwork.forwardingWarnings(grant));
        BuildNetwork network = BuildNetwork.create(state.buildId(), grant);
        try {
            return new NetworksAhead.Made(network, Background.join(warnings, "looking up the routes of the allowed addresses"));
        } catch (StrataException | InterruptedException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    private Optional<AssembledImage> assembleDirectly(WorkerState state, Path contextDir, StepContext context)
            throws StrataException, InterruptedException {
        ImageIdentity identity = state.requireIdentity();
        ImageReference target = ImageReference.parse(registryHost + "/" + identity.name());
        // Strata's labels as one LABEL instruction: in an image assembled here it costs no commit, and the
        // assembler makes the configuration from the Dockerfile, as buildah would.
        return assembly.assemble(state.requireDockerfile().withLabelsSet(identity.set()), state.request().buildArgs(), contextDir, target,
                state.platform(), state.startedAt(), context::log);
    }

    private static boolean hostNetwork(io.strata.core.plan.PlanStep step) {
        return step.boolArg("network", false);
    }

    /**
     * A plan whose buildah_build has {@code network: true} (a customize document, which a user may
     * give) gives RUN steps the host's network: that is the open policy, so it is refused up front,
     * like a request for open, where the configuration does not permit open.
     */
    static void checkPermitted(io.strata.core.plan.Plan plan, Configuration config) throws StrataException {
        boolean hostNetwork = plan.step("buildah_build").map(BuildahBuildStep::hostNetwork).orElse(false);
        if (hostNetwork && !config.buildNetworkPermit().contains(NetworkPolicy.OPEN.wireName())) {
            throw new StrataException(io.strata.core.request.ReasonCode.NETWORK_POLICY_FORBIDDEN.name(),
                    "the plan's buildah_build step asks for the host's network (network: true), which is the open network"
                            + " policy; it is not permitted here: strata_build_network_permit = "
                            + String.join(",", config.buildNetworkPermit()),
                    "remove network: true from the customize document (ask for network_policy allowlist instead), or"
                            + " have the operator add open to strata_build_network_permit");
        }
    }

    /** The request's policy (validated against the configuration before it was stored), or the configured default. */
    private NetworkGrant grant(WorkerState state, java.util.function.Consumer<String> log) throws StrataException {
        NetworkPolicy policy = NetworkPolicy.byName(state.request().networkPolicy())
                .or(() -> NetworkPolicy.byName(config.buildNetwork()))
                .orElse(NetworkPolicy.NONE);
        return policy == NetworkPolicy.ALLOWLIST
                ? new NetworkGrant(policy, allowList.resolve(state.repoDir(), registryHost, config.buildNetworkAllow(), log))
                : NetworkGrant.of(policy);
    }

    /**
     * A {@code buildah bud} of {@code dockerfile} for the build's image: under the build's local names,
     * owned by the build, and with {@code --platform} only for a platform other than this machine's. For
     * its own, buildah gives TARGETARCH and the other platform args itself and builds the same image to
     * the id (checked on amd64), while {@code --platform} makes buildah 1.28 warn in every build log that
     * TARGETARCH, TARGETOS and TARGETPLATFORM, which nobody passed, were not consumed.
     */
    static BudSpec.Builder budOf(WorkerState state, Path contextDir, Path dockerfile) {
        BudSpec.Builder spec = BudSpec.builder(contextDir)
                .dockerfile(dockerfile)
                .tag("localhost/strata-build:" + state.buildId().value())
                .tag(localName(state))
                .owner(state.buildId().value());
        if (!state.platform().equals(io.strata.registry.Platform.current())) {
            spec.platform(state.platform().toString());
        }
        return spec;
    }

    /**
     * The renderer's name for the build's image ({@code --user} prefixes it), in local storage. The
     * user and target are free text in a request; what an image name cannot hold becomes '-'.
     */
    static String localName(WorkerState state) {
        var request = state.request();
        String user = request.user() == null ? null
                : request.user().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[._-]+|[._-]+$", "");
        String target = request.target() == null ? null : request.target().replaceAll("[^A-Za-z0-9_.-]+", "-");
        return "localhost/" + BuildNames.localImageTag(user, request.component(), target, state.buildId().value());
    }
}
