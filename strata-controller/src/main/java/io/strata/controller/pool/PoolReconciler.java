package io.strata.controller.pool;

import static io.strata.controller.MachineConfigNames.LAYERING_LABEL;
import static io.strata.controller.MachineConfigNames.MANAGED_BY;
import static io.strata.controller.MachineConfigNames.MANAGED_BY_LABEL;
import static io.strata.controller.MachineConfigNames.NEWEST_IMAGE_ANNOTATION;
import static io.strata.controller.MachineConfigNames.POOL_LABEL;
import static io.strata.controller.MachineConfigNames.RENDERED_CONFIG_LABEL;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfig;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPool;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.strata.controller.ControllerSettings;
import io.strata.controller.build.BuildContext;
import io.strata.controller.build.BuildObjectNames;
import io.strata.controller.build.BuildProgress;
import io.strata.controller.build.BuilderType;
import io.strata.controller.build.ContainerfileRenderer;
import io.strata.controller.build.ImageBuilder;
import io.strata.controller.build.ImageBuilders;
import io.strata.controller.build.LayeredBuild;
import io.strata.controller.build.MachineConfigArchive;
import io.strata.controller.inputs.BuildInputs;
import io.strata.controller.inputs.BuildInputsReader;
import io.strata.controller.inputs.InputProblem;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The seed's BuildController: a MachineConfigPool labelled {@code layering-enabled} gets a layered OS
 * image for its rendered MachineConfig, and its conditions follow the build in lockstep.
 *
 * <p>Each reconcile reads the world (inputs, builder object, the pool's conditions) and moves one
 * step; nothing is remembered between runs, so a restarted controller picks up a running build by
 * its fixed name. A pool without the label has everything the controller made for it removed.
 */
public final class PoolReconciler implements Reconciler<MachineConfigPool> {
    /** While inputs are missing nothing changes on the objects the controller watches for them (secrets): look again. */
    static final Duration INPUTS_RECHECK = Duration.ofSeconds(15);
    /** How often a running build is looked at without an event. */
    static final Duration BUILD_RECHECK = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final BuildInputsReader inputs;
    private final ImageBuilders builders;
    private final BuildContext context;
    private final ContainerfileRenderer containerfile;
    private final PoolWriter writer;
    private final PoolBuilds made;
    private final Clock clock;
    private final boolean servesBuilds;

    /** @param servesBuilds whether the cluster has OpenShift Builds to watch (see ClusterCheck) */
    public PoolReconciler(KubernetesClient client, ControllerSettings settings, boolean servesBuilds, Clock clock) {
        this.client = client;
        this.servesBuilds = servesBuilds;
        this.inputs = new BuildInputsReader(client);
        this.builders = new ImageBuilders(client, settings);
        this.context = new BuildContext(client);
        this.containerfile = new ContainerfileRenderer(settings.osConfigTool());
        this.writer = new PoolWriter(client);
        this.made = new PoolBuilds(client, servesBuilds);
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, MachineConfigPool>> prepareEventSources(EventSourceContext<MachineConfigPool> eventContext) {
        return BuildEventSources.of(eventContext, servesBuilds);
    }

    @Override
    public UpdateControl<MachineConfigPool> reconcile(MachineConfigPool cached, Context<MachineConfigPool> ignored) {
        String name = cached.getMetadata().getName();
        // Decide on the pool as the API has it: the informer's copy can lag behind this controller's own
        // status writes, and a step taken on a stale pool would undo them (a finished build seen as interrupted).
        MachineConfigPool pool = client.resources(MachineConfigPool.class).withName(name).get();
        if (pool == null) {
            return UpdateControl.noUpdate();
        }
        PoolStatus before = PoolStatus.of(pool, clock);
        if (!optedIn(pool)) {
            for (String rendered : made.renderedConfigs(name)) {
                removeAll(build(pool, rendered, null));
            }
            write(pool, before, PoolStatus.of(pool, clock).cleared());
            return UpdateControl.noUpdate();
        }
        BuildInputsReader.Result read = inputs.read();
        if (read instanceof BuildInputsReader.Result.Invalid(InputProblem problem)) {
            write(pool, before, PoolStatus.of(pool, clock).degraded(problem.reason(), problem.message()));
            return UpdateControl.<MachineConfigPool>noUpdate().rescheduleAfter(INPUTS_RECHECK);
        }
        BuildInputs ready = ((BuildInputsReader.Result.Ready) read).inputs();
        if (ready.builderType() == BuilderType.OPENSHIFT_IMAGE_BUILDER && !servesBuilds) {
            write(pool, before, PoolStatus.of(pool, clock).degraded("BUILD_CONFIG_INVALID", "on-cluster-build-config asks for "
                    + "openshift-image-builder (imageBuilderType, the default), but this cluster does not serve OpenShift Builds:"
                    + " set imageBuilderType to custom-pod-builder"));
            return UpdateControl.<MachineConfigPool>noUpdate().rescheduleAfter(INPUTS_RECHECK);
        }
        String rendered = pool.getSpec() == null || pool.getSpec().getConfiguration() == null ? null
                : pool.getSpec().getConfiguration().getName();
        MachineConfig machineConfig = rendered == null || rendered.isBlank() ? null
                : client.resources(MachineConfig.class).withName(rendered).get();
        if (machineConfig == null) {
            write(pool, before, PoolStatus.of(pool, clock).degraded("RENDERED_CONFIG_MISSING", rendered == null || rendered.isBlank()
                    ? "MachineConfigPool " + name + " names no rendered MachineConfig (spec.configuration.name): wait for the"
                            + " machine-config-operator to render one"
                    : "MachineConfig " + rendered + " (spec.configuration.name of MachineConfigPool " + name + ") does not exist"));
            return UpdateControl.<MachineConfigPool>noUpdate().rescheduleAfter(INPUTS_RECHECK);
        }
        cancelSuperseded(pool, rendered, ready);
        LayeredBuild build = build(pool, rendered, ready);
        PoolStatus after = step(pool, before, build, machineConfig);
        write(pool, before, after);
        Optional<PoolCondition> now = after.trueAbout(build.names().builder());
        boolean inProgress = now.equals(Optional.of(PoolCondition.BUILD_PENDING)) || now.equals(Optional.of(PoolCondition.BUILDING));
        // The builder's events wake the reconcile; looking again while it runs covers an event a watch lost.
        return inProgress ? UpdateControl.<MachineConfigPool>noUpdate().rescheduleAfter(BUILD_RECHECK) : UpdateControl.noUpdate();
    }

    /** One move of the build, and the pool's conditions for where it is now. */
    private PoolStatus step(MachineConfigPool pool, PoolStatus before, LayeredBuild build, MachineConfig machineConfig) {
        String builderName = build.names().builder();
        Optional<PoolCondition> said = before.trueAbout(builderName);
        PoolStatus status = PoolStatus.of(pool, clock);
        boolean imageThere = pool.getMetadata().getAnnotations() != null
                && pool.getMetadata().getAnnotations().containsKey(NEWEST_IMAGE_ANNOTATION);
        if (said.equals(Optional.of(PoolCondition.BUILD_SUCCESS)) && imageThere) {
            return status; // built; a new rendered MachineConfig starts the next one
        }
        ImageBuilder builder = builders.of(build.inputs().builderType());
        BuildProgress progress = builder.progress(build);
        return switch (progress) {
            case BuildProgress.Absent absent -> {
                if (said.isPresent() && said.get() != PoolCondition.BUILD_SUCCESS) {
                    // It had started (or ended badly) and its builder object is gone: deleted from outside.
                    yield said.get() == PoolCondition.BUILD_FAILED ? status
                            : status.build(PoolCondition.BUILD_INTERRUPTED, builderName, "BUILD_INTERRUPTED",
                                    "the builder object was deleted before the build ended; its ConfigMaps are kept for debugging,"
                                            + " a new rendered MachineConfig builds again")
                                    .degraded("BUILD_INTERRUPTED", builderName + " was deleted before it ended");
                }
                context.ensure(build, containerfile.render(build.inputs().baseImage(), build.pool(), build.renderedConfig(), ""),
                        MachineConfigArchive.encode(machineConfig));
                builder.start(build);
                yield status.build(PoolCondition.BUILD_PENDING, builderName, "BUILD_PENDING", "build started with "
                        + build.inputs().builderType().value()).notDegraded();
            }
            case BuildProgress.Pending pending -> status.build(PoolCondition.BUILD_PENDING, builderName, "BUILD_PENDING",
                    "waiting for the builder to run").notDegraded();
            case BuildProgress.Running running -> status.build(PoolCondition.BUILDING, builderName, "BUILDING", "building")
                    .notDegraded();
            case BuildProgress.Succeeded(String digest) -> {
                String image = build.inputs().finalImage().registry() + "/" + build.inputs().finalImage().repository() + "@" + digest;
                writer.annotate(pool, NEWEST_IMAGE_ANNOTATION, image);
                PoolStatus done = status.build(PoolCondition.BUILD_SUCCESS, builderName, "BUILD_SUCCESS", "pushed " + image).notDegraded();
                write(pool, before, done); // before the builder goes: whoever sees it gone then sees the success too
                removeAll(build);
                yield done;
            }
            case BuildProgress.Failed(String reason, String message) -> status.build(PoolCondition.BUILD_FAILED, builderName, reason,
                    message).degraded(reason, builderName + ": " + message);
            case BuildProgress.Interrupted(String message) -> status.build(PoolCondition.BUILD_INTERRUPTED, builderName,
                    "BUILD_INTERRUPTED", message).degraded("BUILD_INTERRUPTED", builderName + ": " + message);
        };
    }

    /** A build still running for a rendered MachineConfig the pool no longer wants is cancelled; failed ones stay for debugging. */
    private void cancelSuperseded(MachineConfigPool pool, String rendered, BuildInputs ready) {
        for (String old : made.renderedConfigs(pool.getMetadata().getName())) {
            if (old.equals(rendered)) {
                continue;
            }
            LayeredBuild superseded = build(pool, old, ready);
            boolean running = false;
            for (BuilderType type : poolBuilderTypes()) {
                BuildProgress progress = builders.of(type).progress(superseded);
                if (progress instanceof BuildProgress.Pending || progress instanceof BuildProgress.Running) {
                    builders.of(type).remove(superseded);
                    running = true;
                }
            }
            if (running) {
                context.remove(superseded);
            }
        }
    }

    private void removeAll(LayeredBuild build) {
        for (BuilderType type : poolBuilderTypes()) {
            builders.of(type).remove(build);
        }
        context.remove(build);
    }

    /** The builders a pool's build may have run on: Builds only where the cluster serves them. */
    private List<BuilderType> poolBuilderTypes() {
        return servesBuilds ? List.of(BuilderType.OPENSHIFT_IMAGE_BUILDER, BuilderType.CUSTOM_POD_BUILDER) : List.of(BuilderType.CUSTOM_POD_BUILDER);
    }

    private void write(MachineConfigPool pool, PoolStatus before, PoolStatus after) {
        if (after.differsFrom(before)) {
            writer.replaceStatus(pool, after);
        }
    }

    static boolean optedIn(MachineConfigPool pool) {
        Map<String, String> labels = pool.getMetadata().getLabels();
        return labels != null && labels.containsKey(LAYERING_LABEL);
    }

    private static LayeredBuild build(MachineConfigPool pool, String rendered, BuildInputs inputs) {
        String name = pool.getMetadata().getName();
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion(pool.getApiVersion()).withKind(pool.getKind())
                .withName(name).withUid(pool.getMetadata().getUid()).build();
        return new LayeredBuild(BuildObjectNames.forRenderedConfig(rendered), name, rendered, inputs,
                Map.of(POOL_LABEL, name, RENDERED_CONFIG_LABEL, rendered, MANAGED_BY_LABEL, MANAGED_BY),
                pool.getMetadata().getUid() == null ? List.of() : List.of(owner));
    }
}
