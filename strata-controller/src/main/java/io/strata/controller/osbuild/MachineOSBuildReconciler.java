package io.strata.controller.osbuild;

import static io.strata.controller.MachineConfigNames.NAMESPACE;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfig;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSBuild;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSBuildStatus;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSBuilderReference;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSConfig;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSContainerfile;
import io.fabric8.openshift.api.model.machineconfiguration.v1.ObjectReference;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.strata.controller.ControllerSettings;
import io.strata.controller.StatusReplace;
import io.strata.controller.build.BuildContext;
import io.strata.controller.build.BuildObjectNames;
import io.strata.controller.build.BuildProgress;
import io.strata.controller.build.ContainerfileRenderer;
import io.strata.controller.build.JobImageBuilder;
import io.strata.controller.build.LayeredBuild;
import io.strata.controller.build.MachineConfigArchive;
import io.strata.controller.inputs.BuildInputsReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs one MachineOSBuild as a Job and keeps its status with it: Prepared when the Job is made,
 * Building while its pod runs, then Succeeded (with the digested pullspec), Failed (retries used
 * up) or Interrupted (its Job deleted from outside). A terminal build is never touched again. The
 * finalizer lets its Job and ConfigMaps go with it.
 */
public final class MachineOSBuildReconciler implements Reconciler<MachineOSBuild>, Cleaner<MachineOSBuild> {
    static final Duration INPUTS_RECHECK = Duration.ofSeconds(15);
    static final Duration BUILD_RECHECK = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final BuildInputsReader inputs;
    private final JobImageBuilder jobs;
    private final BuildContext context;
    private final ContainerfileRenderer containerfile;
    private final Clock clock;

    public MachineOSBuildReconciler(KubernetesClient client, ControllerSettings settings, Clock clock) {
        this.client = client;
        this.inputs = new BuildInputsReader(client);
        this.jobs = new JobImageBuilder(client, settings);
        this.context = new BuildContext(client);
        this.containerfile = new ContainerfileRenderer(settings.osConfigTool());
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, MachineOSBuild>> prepareEventSources(EventSourceContext<MachineOSBuild> eventContext) {
        return List.of(new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, MachineOSBuild.class)
                        .withName("osbuild-job").withNamespaces(Set.of(NAMESPACE))
                        .withSecondaryToPrimaryMapper(job -> OsBuildLabels.named(job, OsBuildLabels.MACHINE_OS_BUILD)).build(), eventContext),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class, MachineOSBuild.class)
                        .withName("osbuild-configmap").withNamespaces(Set.of(NAMESPACE))
                        .withLabelSelector(OsBuildLabels.MACHINE_OS_BUILD)
                        .withSecondaryToPrimaryMapper(map -> OsBuildLabels.named(map, OsBuildLabels.MACHINE_OS_BUILD)).build(), eventContext));
    }

    @Override
    public UpdateControl<MachineOSBuild> reconcile(MachineOSBuild cached, Context<MachineOSBuild> ignored) {
        // As the API has it: the informer's copy can lag behind this controller's own status writes.
        MachineOSBuild build = client.resources(MachineOSBuild.class).withName(cached.getMetadata().getName()).get();
        if (build == null || build.getMetadata().getDeletionTimestamp() != null) {
            return UpdateControl.noUpdate();
        }
        List<io.fabric8.kubernetes.api.model.Condition> conditions = build.getStatus() == null ? null : build.getStatus().getConditions();
        if (OsBuildCondition.terminal(conditions)) {
            return UpdateControl.noUpdate();
        }
        String configName = build.getSpec().getMachineOSConfig().getName();
        MachineOSConfig config = client.resources(MachineOSConfig.class).withName(configName).get();
        if (config == null) {
            return UpdateControl.noUpdate(); // its MachineOSConfig's cleanup deletes it
        }
        BuildInputsReader.Result read = inputs.readFor(configName, config.getSpec());
        if (!(read instanceof BuildInputsReader.Result.Ready(var ready))) {
            return UpdateControl.<MachineOSBuild>noUpdate().rescheduleAfter(INPUTS_RECHECK); // the MachineOSConfig shows why
        }
        String rendered = build.getSpec().getMachineConfig().getName();
        String name = build.getMetadata().getName();
        LayeredBuild layered = new LayeredBuild(BuildObjectNames.forMachineOSBuild(name), config.getSpec().getMachineConfigPool().getName(),
                rendered, ready, OsBuildLabels.of(configName, name),
                List.of(new OwnerReferenceBuilder().withApiVersion(build.getApiVersion()).withKind(build.getKind()).withName(name)
                        .withUid(build.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build()));
        Optional<OsBuildCondition> current = OsBuildCondition.current(conditions);
        BuildProgress progress = jobs.progress(layered);
        switch (progress) {
            case BuildProgress.Absent absent -> {
                if (current.isPresent()) {
                    write(build, OsBuildCondition.INTERRUPTED, "JOB_DELETED", "Job " + NAMESPACE + "/" + layered.names().builder()
                            + " was deleted before the build ended", null);
                    break;
                }
                MachineConfig machineConfig = client.resources(MachineConfig.class).withName(rendered).get();
                if (machineConfig == null) {
                    write(build, OsBuildCondition.FAILED, "RENDERED_CONFIG_MISSING", "MachineConfig " + rendered + " does not exist", null);
                    break;
                }
                context.ensure(layered, containerfile.render(ready.baseImage(), layered.pool(), rendered, appended(config)),
                        MachineConfigArchive.encode(machineConfig));
                jobs.start(layered);
                write(build, OsBuildCondition.PREPARED, "JOB_CREATED", "Job " + NAMESPACE + "/" + layered.names().builder() + " created", null);
            }
            case BuildProgress.Pending pending -> write(build, OsBuildCondition.PREPARED, "JOB_PENDING", "waiting for the Job's pod", null);
            case BuildProgress.Running running -> write(build, OsBuildCondition.BUILDING, "JOB_RUNNING", "building", null);
            case BuildProgress.Succeeded(String digest) -> {
                String image = ready.finalImage().registry() + "/" + ready.finalImage().repository() + "@" + digest;
                write(build, OsBuildCondition.SUCCEEDED, "BUILD_SUCCESS", "pushed " + image, image);
                context.remove(layered);
                jobs.remove(layered);
            }
            case BuildProgress.Failed(String reason, String message) -> write(build, OsBuildCondition.FAILED, reason, message, null);
            case BuildProgress.Interrupted(String message) -> write(build, OsBuildCondition.INTERRUPTED, "BUILD_INTERRUPTED", message, null);
        }
        // The Job's events wake the reconcile; looking again while it runs covers an event a watch lost.
        boolean running = progress instanceof BuildProgress.Absent || progress instanceof BuildProgress.Pending
                || progress instanceof BuildProgress.Running;
        return running ? UpdateControl.<MachineOSBuild>noUpdate().rescheduleAfter(BUILD_RECHECK) : UpdateControl.noUpdate();
    }

    /** The MachineOSConfig's Containerfile lines for this machine's architecture (or for any, {@code NoArch}). */
    static String appended(MachineOSConfig config) {
        List<MachineOSContainerfile> files = config.getSpec().getContainerFile() == null ? List.of() : config.getSpec().getContainerFile();
        return files.stream().filter(f -> f.getContainerfileArch() == null || f.getContainerfileArch().isBlank()
                        || f.getContainerfileArch().equals("NoArch") || f.getContainerfileArch().equals(ArchNames.thisMachine()))
                .map(f -> Objects.toString(f.getContent(), "")).collect(Collectors.joining("\n"));
    }

    private void write(MachineOSBuild build, OsBuildCondition condition, String reason, String message, String image) {
        StatusReplace.of(client, build, fresh -> {
            MachineOSBuildStatus status = fresh.getStatus() == null ? new MachineOSBuildStatus() : fresh.getStatus();
            if (OsBuildCondition.terminal(status.getConditions())) {
                return fresh; // written meanwhile: a terminal build never changes
            }
            String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
            status.setConditions(condition.set(status.getConditions(), reason, message, clock));
            if (status.getBuildStart() == null) {
                status.setBuildStart(now);
            }
            if (condition == OsBuildCondition.SUCCEEDED || condition == OsBuildCondition.FAILED || condition == OsBuildCondition.INTERRUPTED) {
                status.setBuildEnd(now);
            }
            if (image != null) {
                status.setDigestedImagePushSpec(image);
            }
            ObjectReference job = new ObjectReference();
            job.setGroup("batch");
            job.setResource("jobs");
            job.setNamespace(NAMESPACE);
            job.setName(BuildObjectNames.forMachineOSBuild(fresh.getMetadata().getName()).builder());
            MachineOSBuilderReference builder = new MachineOSBuilderReference();
            builder.setImageBuilderType("Job");
            builder.setJob(job);
            status.setBuilder(builder);
            fresh.setStatus(status);
            return fresh;
        });
    }

    @Override
    public DeleteControl cleanup(MachineOSBuild build, Context<MachineOSBuild> ignored) {
        // Only what this very build owns: a rebuild makes a new MachineOSBuild of the same name, whose Job and
        // ConfigMaps have the same names too, and a cleanup that JOSDK runs again must not take those.
        String uid = build.getMetadata().getUid();
        BuildObjectNames names = BuildObjectNames.forMachineOSBuild(build.getMetadata().getName());
        var job = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(names.builder());
        if (ownedBy(job.get(), uid)) {
            job.withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
        }
        for (String name : List.of(names.dockerfile(), names.machineConfig(), names.digest())) {
            var configMap = client.configMaps().inNamespace(NAMESPACE).withName(name);
            ConfigMap found = configMap.get();
            if (ownedBy(found, uid) || (found != null && name.equals(names.digest()))) {
                configMap.delete();
            }
        }
        return DeleteControl.defaultDelete();
    }

    /** The digest ConfigMap is made by the build pod without owner; the others carry the build's. */
    private static boolean ownedBy(io.fabric8.kubernetes.api.model.HasMetadata object, String uid) {
        return object != null && object.getMetadata().getOwnerReferences() != null
                && object.getMetadata().getOwnerReferences().stream().anyMatch(owner -> uid.equals(owner.getUid()));
    }
}
