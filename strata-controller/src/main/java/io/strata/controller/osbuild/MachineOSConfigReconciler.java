package io.strata.controller.osbuild;

import static io.strata.controller.MachineConfigNames.NAMESPACE;
import static io.strata.controller.MachineConfigNames.OS_IMAGE_URL_CONFIG_MAP;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfig;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineConfigPool;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSBuild;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSBuildBuilder;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSConfig;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSConfigBuilder;
import io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSConfigStatus;
import io.fabric8.openshift.api.model.machineconfiguration.v1.ObjectReference;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.strata.controller.StatusReplace;
import io.strata.controller.inputs.BuildInputsReader;
import io.strata.controller.inputs.InputProblem;
import io.strata.registry.RegistryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's current API: a MachineOSConfig opts its pool in. For the pool's rendered
 * MachineConfig it makes a MachineOSBuild named by the hash of its inputs (reusing a finished one
 * whose image still exists), interrupts builds it no longer wants, honours the {@code rebuild}
 * annotation, and shows the current image in its status. Its finalizer deletes every MachineOSBuild it made.
 */
public final class MachineOSConfigReconciler implements Reconciler<MachineOSConfig>, Cleaner<MachineOSConfig> {
    /** Set on a MachineOSConfig to build again although nothing changed; removed once the new build exists. */
    public static final String REBUILD_ANNOTATION = "machineconfiguration.openshift.io/rebuild";
    static final Duration RECHECK = Duration.ofSeconds(15);
    /** The condition that says whether the registry still holds the current build's image (True, False, Unknown). */
    public static final String IMAGE_VERIFIED = "ImageVerified";

    private final KubernetesClient client;
    private final BuildInputsReader inputs;
    private final PushedImages images;
    private final Clock clock;

    public MachineOSConfigReconciler(KubernetesClient client, PushedImages images, Clock clock) {
        this.client = client;
        this.inputs = new BuildInputsReader(client);
        this.images = images;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, MachineOSConfig>> prepareEventSources(EventSourceContext<MachineOSConfig> eventContext) {
        return List.of(
                new InformerEventSource<>(InformerEventSourceConfiguration.from(MachineOSBuild.class, MachineOSConfig.class)
                        .withName("osconfig-build").withSecondaryToPrimaryMapper(b -> OsBuildLabels.named(b, OsBuildLabels.MACHINE_OS_CONFIG))
                        .build(), eventContext),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(MachineConfigPool.class, MachineOSConfig.class)
                        .withName("osconfig-pool").withSecondaryToPrimaryMapper(pool -> eventContext.getPrimaryCache().list()
                                .filter(c -> c.getSpec() != null && c.getSpec().getMachineConfigPool() != null
                                        && pool.getMetadata().getName().equals(c.getSpec().getMachineConfigPool().getName()))
                                .map(ResourceID::fromResource).collect(Collectors.toSet())).build(), eventContext),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class, MachineOSConfig.class)
                        .withName("osconfig-osimage").withNamespaces(Set.of(NAMESPACE))
                        .withSecondaryToPrimaryMapper(map -> OS_IMAGE_URL_CONFIG_MAP.equals(map.getMetadata().getName())
                                ? eventContext.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet()) : Set.of())
                        .build(), eventContext));
    }

    @Override
    public UpdateControl<MachineOSConfig> reconcile(MachineOSConfig cached, Context<MachineOSConfig> ignored) {
        String name = cached.getMetadata().getName();
        // As the API has it: the informer's copy can lag behind this controller's own writes (the rebuild annotation).
        MachineOSConfig config = client.resources(MachineOSConfig.class).withName(name).get();
        if (config == null || config.getMetadata().getDeletionTimestamp() != null) {
            return UpdateControl.noUpdate();
        }
        String poolName = config.getSpec().getMachineConfigPool() == null ? null : config.getSpec().getMachineConfigPool().getName();
        MachineConfigPool pool = poolName == null ? null : client.resources(MachineConfigPool.class).withName(poolName).get();
        if (pool == null) {
            return degraded(config, new InputProblem("MACHINE_CONFIG_POOL_MISSING", "MachineOSConfig " + name
                    + " names MachineConfigPool " + poolName + " (spec.machineConfigPool.name), which does not exist"));
        }
        String rendered = pool.getSpec() == null || pool.getSpec().getConfiguration() == null ? null : pool.getSpec().getConfiguration().getName();
        if (rendered == null || client.resources(MachineConfig.class).withName(rendered).get() == null) {
            return degraded(config, new InputProblem("RENDERED_CONFIG_MISSING", "MachineConfig " + rendered
                    + " (spec.configuration.name of MachineConfigPool " + poolName + ") does not exist"));
        }
        BuildInputsReader.Result read = inputs.readFor(name, config.getSpec());
        if (read instanceof BuildInputsReader.Result.Invalid(InputProblem problem)) {
            return degraded(config, problem);
        }
        var ready = ((BuildInputsReader.Result.Ready) read).inputs();
        List<String> architectures = Architectures.of(client, pool);
        String buildName = BuildNameHash.name(name, rendered, config.getSpec(), ready.baseImage(), architectures);
        List<MachineOSBuild> made = client.resources(MachineOSBuild.class).withLabel(OsBuildLabels.MACHINE_OS_CONFIG, name).list().getItems();
        interruptSuperseded(made, buildName);

        Optional<MachineOSBuild> existing = made.stream().filter(b -> b.getMetadata().getName().equals(buildName)).findFirst();
        if (existing.isPresent() && existing.get().getMetadata().getDeletionTimestamp() != null) {
            return UpdateControl.<MachineOSConfig>noUpdate().rescheduleAfter(Duration.ofSeconds(1)); // its cleanup is under way
        }
        boolean rebuild = config.getMetadata().getAnnotations() != null && config.getMetadata().getAnnotations().containsKey(REBUILD_ANNOTATION);
        Optional<PushedImages.Presence> presence = rebuild ? Optional.empty() : existing.flatMap(b -> imagePresence(b, ready.finalImagePushSecret()));
        if (existing.isPresent() && (rebuild || presence.filter(p -> p instanceof PushedImages.Presence.Gone).isPresent())) {
            if (rebuild) {
                removeRebuildAnnotation(config); // first, and only from the version read: a rebuild is taken once
            }
            client.resource(existing.get()).delete(); // its finalizer removes its Job and ConfigMaps; then it is made again
            return UpdateControl.<MachineOSConfig>noUpdate().rescheduleAfter(Duration.ofSeconds(1));
        }
        if (existing.isEmpty()) {
            create(config, buildName, rendered, ready.finalImage().toString(), architectures);
        }
        if (rebuild) {
            removeRebuildAnnotation(config);
        }
        String current = existing.map(MachineOSBuild::getStatus).map(s -> s.getDigestedImagePushSpec()).orElse(null);
        Condition verified = imageVerified(presence);
        writeStatus(config, buildName, current, null, verified);
        // Cannot tell: ask the registry again later rather than only on the next event.
        return "Unknown".equals(verified.getStatus()) ? UpdateControl.<MachineOSConfig>noUpdate().rescheduleAfter(RECHECK) : UpdateControl.noUpdate();
    }

    /** What the registry says about a finished build's image, asked with the push Secret's credentials; empty before it is built. */
    private Optional<PushedImages.Presence> imagePresence(MachineOSBuild build, String pushSecret) {
        String image = build.getStatus() == null ? null : build.getStatus().getDigestedImagePushSpec();
        if (image == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(images.check(image, SecretAuth.of(client, pushSecret)));
        } catch (RegistryException e) {
            return Optional.of(new PushedImages.Presence.Unknown("IMAGE_CHECK_FAILED", "cannot read the credentials of Secret "
                    + NAMESPACE + "/" + pushSecret + " to ask the registry about " + image + ": " + e.getMessage()));
        }
    }

    /** The {@code ImageVerified} condition: True while the registry holds the current build's image, Unknown when it cannot tell. */
    private Condition imageVerified(Optional<PushedImages.Presence> presence) {
        Condition condition = new Condition();
        condition.setType(IMAGE_VERIFIED);
        switch (presence.orElse(null)) {
            case PushedImages.Presence.Present present -> {
                condition.setStatus("True");
                condition.setReason("IMAGE_PRESENT");
                condition.setMessage("the registry holds the current build's image");
            }
            case PushedImages.Presence.Unknown(String reason, String message) -> {
                condition.setStatus("Unknown");
                condition.setReason(reason);
                condition.setMessage(message);
            }
            case null, default -> {
                condition.setStatus("False");
                condition.setReason("IMAGE_NOT_BUILT");
                condition.setMessage("the current build has not pushed an image yet");
            }
        }
        return condition;
    }

    /** Builds for inputs this MachineOSConfig no longer has are stopped (Interrupted); finished ones stay as a record. */
    private void interruptSuperseded(List<MachineOSBuild> made, String wanted) {
        for (MachineOSBuild old : made) {
            if (old.getMetadata().getName().equals(wanted) || OsBuildCondition.terminal(old.getStatus() == null ? null : old.getStatus().getConditions())) {
                continue;
            }
            var superseded = new java.util.concurrent.atomic.AtomicBoolean();
            StatusReplace.of(client, old, fresh -> {
                var status = fresh.getStatus() == null ? new io.fabric8.openshift.api.model.machineconfiguration.v1.MachineOSBuildStatus()
                        : fresh.getStatus();
                if (OsBuildCondition.terminal(status.getConditions())) {
                    return fresh; // it ended since the list was read: a terminal build never changes, and keeps its Job
                }
                status.setConditions(OsBuildCondition.INTERRUPTED.set(status.getConditions(), "BUILD_SUPERSEDED",
                        "superseded by MachineOSBuild " + wanted, clock));
                status.setBuildEnd(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
                fresh.setStatus(status);
                superseded.set(true);
                return fresh;
            });
            if (!superseded.get()) {
                continue;
            }
            client.batch().v1().jobs().inNamespace(NAMESPACE)
                    .withName(io.strata.controller.build.BuildObjectNames.forMachineOSBuild(old.getMetadata().getName()).builder())
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
        }
    }

    private void create(MachineOSConfig config, String buildName, String rendered, String pushSpec, List<String> architectures) {
        MachineOSBuild build = new MachineOSBuildBuilder().withNewMetadata().withName(buildName)
                .withLabels(OsBuildLabels.of(config.getMetadata().getName(), buildName))
                .withAnnotations(Map.of(OsBuildLabels.ARCHITECTURES, String.join(",", architectures)))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(config.getApiVersion()).withKind(config.getKind())
                        .withName(config.getMetadata().getName()).withUid(config.getMetadata().getUid()).withController(true).build())
                .endMetadata()
                .withNewSpec().withNewMachineConfig(rendered).withNewMachineOSConfig(config.getMetadata().getName())
                .withRenderedImagePushSpec(pushSpec).endSpec().build();
        try {
            client.resource(build).create();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    /**
     * Replaces the MachineOSConfig as this reconcile read it, without the annotation: a stale read fails
     * with 409 and the reconcile runs again on the fresh one, so two reconciles never both act on one
     * {@code rebuild}.
     */
    private void removeRebuildAnnotation(MachineOSConfig config) {
        MachineOSConfig copy = new MachineOSConfigBuilder(config).build();
        Map<String, String> annotations = new HashMap<>(copy.getMetadata().getAnnotations());
        annotations.remove(REBUILD_ANNOTATION);
        copy.getMetadata().setAnnotations(annotations);
        client.resource(copy).update();
    }

    private UpdateControl<MachineOSConfig> degraded(MachineOSConfig config, InputProblem problem) {
        writeStatus(config, null, null, problem, null);
        return UpdateControl.<MachineOSConfig>noUpdate().rescheduleAfter(RECHECK);
    }

    /** observedGeneration, the current build and image, and Degraded; written only when something changed. */
    private void writeStatus(MachineOSConfig config, String buildName, String currentImage, InputProblem problem, Condition verified) {
        MachineOSConfigStatus old = config.getStatus() == null ? new MachineOSConfigStatus() : config.getStatus();
        Condition degraded = new Condition();
        degraded.setType("Degraded");
        degraded.setStatus(problem == null ? "False" : "True");
        degraded.setReason(problem == null ? "AS_EXPECTED" : problem.reason());
        degraded.setMessage(problem == null ? "" : problem.message());
        Optional<Condition> before = Optional.ofNullable(old.getConditions()).flatMap(l -> l.stream().filter(c -> "Degraded".equals(c.getType())).findFirst());
        degraded.setLastTransitionTime(before.filter(c -> c.getStatus().equals(degraded.getStatus())).map(Condition::getLastTransitionTime)
                .orElse(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString()));
        String build = buildName != null ? buildName : Optional.ofNullable(old.getMachineOSBuild()).map(ObjectReference::getName).orElse(null);
        String image = currentImage != null ? currentImage : old.getCurrentImagePullSpec();
        Optional<Condition> verifiedBefore = Optional.ofNullable(old.getConditions())
                .flatMap(l -> l.stream().filter(c -> IMAGE_VERIFIED.equals(c.getType())).findFirst());
        if (verified != null) {
            verified.setLastTransitionTime(verifiedBefore.filter(c -> c.getStatus().equals(verified.getStatus()))
                    .map(Condition::getLastTransitionTime).orElse(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString()));
        }
        Condition verifiedNow = verified != null ? verified : verifiedBefore.orElse(null);
        boolean same = Objects.equals(verifiedBefore.map(c -> c.getStatus() + c.getReason() + c.getMessage()).orElse(null),
                verifiedNow == null ? null : verifiedNow.getStatus() + verifiedNow.getReason() + verifiedNow.getMessage())
                && Objects.equals(old.getObservedGeneration(), config.getMetadata().getGeneration())
                && Objects.equals(Optional.ofNullable(old.getMachineOSBuild()).map(ObjectReference::getName).orElse(null), build)
                && Objects.equals(old.getCurrentImagePullSpec(), image)
                && before.filter(c -> c.getStatus().equals(degraded.getStatus()) && Objects.equals(c.getReason(), degraded.getReason())
                        && Objects.equals(c.getMessage(), degraded.getMessage())).isPresent();
        if (same) {
            return;
        }
        StatusReplace.of(client, config, fresh -> {
            MachineOSConfigStatus status = new MachineOSConfigStatus();
            status.setObservedGeneration(fresh.getMetadata().getGeneration());
            status.setCurrentImagePullSpec(image);
            if (build != null) {
                ObjectReference reference = new ObjectReference();
                reference.setGroup("machineconfiguration.openshift.io");
                reference.setResource("machineosbuilds");
                reference.setName(build);
                status.setMachineOSBuild(reference);
            }
            status.setConditions(verifiedNow == null ? List.of(degraded) : List.of(degraded, verifiedNow));
            fresh.setStatus(status);
            return fresh;
        });
    }

    @Override
    public DeleteControl cleanup(MachineOSConfig config, Context<MachineOSConfig> ignored) {
        // Owner references would let a real cluster's garbage collector do this; the finalizer makes it happen
        // everywhere (the mock API server has no garbage collector), and before the MachineOSConfig is gone.
        client.resources(MachineOSBuild.class).withLabel(OsBuildLabels.MACHINE_OS_CONFIG, config.getMetadata().getName()).delete();
        return DeleteControl.defaultDelete();
    }
}
