package io.strata.controller.osbuild;

import static io.strata.controller.MachineConfigNames.NAMESPACE;

import io.fabric8.kubernetes.api.model.ConfigMap;
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
import io.strata.controller.inputs.BuildInputs;
import io.strata.controller.inputs.BuildInputsReader;
import io.strata.registry.RegistryException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs one MachineOSBuild as a Job per architecture ({@link ArchBuilds}) and keeps its status with
 * them: Prepared when the Jobs are made, Building while a pod runs, then Succeeded (with the digested
 * pullspec: the one image, or the index joining the architectures' images), Failed (an architecture's
 * retries used up, or the index refused) or Interrupted (a Job deleted from outside). A terminal
 * build is never touched again. The finalizer lets its Jobs and ConfigMaps go with it.
 */
public final class MachineOSBuildReconciler implements Reconciler<MachineOSBuild>, Cleaner<MachineOSBuild> {
    static final Duration INPUTS_RECHECK = Duration.ofSeconds(15);
    static final Duration BUILD_RECHECK = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final BuildInputsReader inputs;
    private final JobImageBuilder jobs;
    private final BuildContext context;
    private final ContainerfileRenderer containerfile;
    private final IndexPublication index;
    private final Clock clock;

    public MachineOSBuildReconciler(KubernetesClient client, ControllerSettings settings, PushedImages registries, Clock clock) {
        this.client = client;
        this.inputs = new BuildInputsReader(client);
        this.jobs = new JobImageBuilder(client, settings);
        this.context = new BuildContext(client);
        this.containerfile = new ContainerfileRenderer(settings.osConfigTool());
        this.index = new IndexPublication(registries);
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
        ArchBuilds parts = ArchBuilds.of(build, config, ready);
        Map<String, BuildProgress> progress = new LinkedHashMap<>();
        parts.each().forEach(part -> progress.put(part.architecture(), jobs.progress(part.build())));
        boolean running = step(build, config, parts, progress, OsBuildCondition.current(conditions).isPresent());
        // The Jobs' events wake the reconcile; looking again while they run covers an event a watch lost.
        return running ? UpdateControl.<MachineOSBuild>noUpdate().rescheduleAfter(BUILD_RECHECK) : UpdateControl.noUpdate();
    }

    /**
     * One move of the build from what its Jobs say: the first architecture that failed (or was stopped)
     * ends it for all, the others' Jobs deleted and no index pushed; absent Jobs are made; when every
     * architecture is pushed, the index joins them. Returns whether the build still runs.
     */
    private boolean step(MachineOSBuild build, MachineOSConfig config, ArchBuilds parts, Map<String, BuildProgress> progress,
            boolean started) {
        for (ArchBuilds.Part part : parts.each()) {
            switch (progress.get(part.architecture())) {
                case BuildProgress.Failed(String reason, String message) -> {
                    stopOthers(parts, progress, part);
                    write(build, OsBuildCondition.FAILED, reason, parts.named(part, message), null, parts, progress);
                    return false;
                }
                case BuildProgress.Interrupted(String message) -> {
                    stopOthers(parts, progress, part);
                    write(build, OsBuildCondition.INTERRUPTED, "BUILD_INTERRUPTED", parts.named(part, message), null, parts, progress);
                    return false;
                }
                case BuildProgress.Absent absent when started -> {
                    stopOthers(parts, progress, part);
                    write(build, OsBuildCondition.INTERRUPTED, "JOB_DELETED", parts.named(part, "Job " + NAMESPACE + "/"
                            + part.build().names().builder() + " was deleted before the build ended"), null, parts, progress);
                    return false;
                }
                default -> { }
            }
        }
        List<ArchBuilds.Part> absent = parts.each().stream()
                .filter(part -> progress.get(part.architecture()) instanceof BuildProgress.Absent).toList();
        if (!absent.isEmpty()) {
            String rendered = build.getSpec().getMachineConfig().getName();
            MachineConfig machineConfig = client.resources(MachineConfig.class).withName(rendered).get();
            if (machineConfig == null) {
                write(build, OsBuildCondition.FAILED, "RENDERED_CONFIG_MISSING", "MachineConfig " + rendered + " does not exist", null,
                        parts, progress);
                return false;
            }
            String archive = MachineConfigArchive.encode(machineConfig);
            for (ArchBuilds.Part part : absent) {
                LayeredBuild layered = part.build();
                context.ensure(layered, containerfile.render(layered.inputs().baseImage(), layered.pool(), rendered,
                        appended(config, part.architecture())), archive);
                jobs.start(layered);
                progress.put(part.architecture(), new BuildProgress.Pending());
            }
            write(build, OsBuildCondition.PREPARED, "JOB_CREATED", "created Job " + String.join(", ", absent.stream()
                    .map(part -> NAMESPACE + "/" + part.build().names().builder()).toList()), null, parts, progress);
            return true;
        }
        if (progress.values().stream().allMatch(p -> p instanceof BuildProgress.Succeeded)) {
            succeeded(build, parts, progress);
            return false;
        }
        boolean building = progress.values().stream().anyMatch(p -> p instanceof BuildProgress.Running);
        write(build, building ? OsBuildCondition.BUILDING : OsBuildCondition.PREPARED, building ? "JOB_RUNNING" : "JOB_PENDING",
                building ? "building" : "waiting for the Job's pod", null, parts, progress);
        return true;
    }

    /** Every architecture pushed: the image (or the index of them) is the build's; its Jobs and ConfigMaps go. */
    private void succeeded(MachineOSBuild build, ArchBuilds parts, Map<String, BuildProgress> progress) {
        BuildInputs ready = parts.inputs();
        String digest;
        if (parts.several()) {
            Map<String, String> digests = new LinkedHashMap<>();
            progress.forEach((arch, p) -> digests.put(arch, ((BuildProgress.Succeeded) p).digest()));
            try {
                digest = index.publish(ready.finalImage(), digests, SecretAuth.of(client, ready.finalImagePushSecret()));
            } catch (RegistryException e) {
                write(build, OsBuildCondition.FAILED, "INDEX_PUSH_FAILED", "the images of " + String.join(", ", digests.keySet())
                        + " were pushed, but their image index could not be pushed to " + ready.finalImage() + ": " + e.getMessage()
                        + "; " + e.hint(), null, parts, progress);
                return;
            }
        } else {
            digest = ((BuildProgress.Succeeded) progress.values().iterator().next()).digest();
        }
        String image = ready.finalImage().registry() + "/" + ready.finalImage().repository() + "@" + digest;
        write(build, OsBuildCondition.SUCCEEDED, "BUILD_SUCCESS", "pushed " + image, image, parts, progress);
        for (ArchBuilds.Part part : parts.each()) {
            context.remove(part.build());
            jobs.remove(part.build());
        }
    }

    /** The build ended for all on {@code ended}: the Jobs still running for other architectures are deleted. */
    private void stopOthers(ArchBuilds parts, Map<String, BuildProgress> progress, ArchBuilds.Part ended) {
        for (ArchBuilds.Part part : parts.each()) {
            BuildProgress each = progress.get(part.architecture());
            if (part != ended && (each instanceof BuildProgress.Pending || each instanceof BuildProgress.Running)) {
                jobs.remove(part.build());
                progress.put(part.architecture(), new BuildProgress.Interrupted("stopped: " + ended.architecture() + " ended the build"));
            }
        }
    }

    /** The MachineOSConfig's Containerfile lines for {@code architecture} (or for any, {@code NoArch}). */
    static String appended(MachineOSConfig config, String architecture) {
        List<MachineOSContainerfile> files = config.getSpec().getContainerFile() == null ? List.of() : config.getSpec().getContainerFile();
        String named = Architectures.containerfileArch(architecture);
        return files.stream().filter(f -> f.getContainerfileArch() == null || f.getContainerfileArch().isBlank()
                        || f.getContainerfileArch().equals("NoArch") || f.getContainerfileArch().equals(named))
                .map(f -> Objects.toString(f.getContent(), "")).collect(Collectors.joining("\n"));
    }

    private void write(MachineOSBuild build, OsBuildCondition condition, String reason, String message, String image, ArchBuilds parts,
            Map<String, BuildProgress> progress) {
        String said = parts.several() ? message + " (" + ArchBuilds.summary(progress) + ")" : message;
        StatusReplace.of(client, build, fresh -> {
            MachineOSBuildStatus status = fresh.getStatus() == null ? new MachineOSBuildStatus() : fresh.getStatus();
            if (OsBuildCondition.terminal(status.getConditions())) {
                return fresh; // written meanwhile: a terminal build never changes
            }
            String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
            status.setConditions(condition.set(status.getConditions(), reason, said, clock));
            if (status.getBuildStart() == null) {
                status.setBuildStart(now);
            }
            if (condition == OsBuildCondition.SUCCEEDED || condition == OsBuildCondition.FAILED || condition == OsBuildCondition.INTERRUPTED) {
                status.setBuildEnd(now);
            }
            if (image != null) {
                status.setDigestedImagePushSpec(image);
            }
            List<ObjectReference> jobRefs = parts.each().stream().map(part -> jobReference(part.build().names().builder())).toList();
            MachineOSBuilderReference builder = new MachineOSBuilderReference();
            builder.setImageBuilderType("Job");
            builder.setJob(jobRefs.getFirst());
            status.setBuilder(builder);
            status.setRelatedObjects(jobRefs);
            status.setAdditionalProperty(ArchBuilds.STATUS_FIELD, ArchBuilds.status(parts, progress));
            fresh.setStatus(status);
            return fresh;
        });
    }

    private static ObjectReference jobReference(String name) {
        ObjectReference job = new ObjectReference();
        job.setGroup("batch");
        job.setResource("jobs");
        job.setNamespace(NAMESPACE);
        job.setName(name);
        return job;
    }

    @Override
    public DeleteControl cleanup(MachineOSBuild build, Context<MachineOSBuild> ignored) {
        // Only what this very build owns: a rebuild makes a new MachineOSBuild of the same name, whose Job and
        // ConfigMaps have the same names too, and a cleanup that JOSDK runs again must not take those.
        String uid = build.getMetadata().getUid();
        for (BuildObjectNames names : ArchBuilds.names(build)) {
            removeOwned(names, uid);
        }
        return DeleteControl.defaultDelete();
    }

    private void removeOwned(BuildObjectNames names, String uid) {
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
    }

    /** The digest ConfigMap is made by the build pod without owner; the others carry the build's. */
    private static boolean ownedBy(io.fabric8.kubernetes.api.model.HasMetadata object, String uid) {
        return object != null && object.getMetadata().getOwnerReferences() != null
                && object.getMetadata().getOwnerReferences().stream().anyMatch(owner -> uid.equals(owner.getUid()));
    }
}
