package io.strata.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.core.io.UrlCredentials;
import io.strata.core.pipeline.Step;
import io.strata.core.pipeline.StepContext;
import io.strata.registry.RegistryClient;
import io.strata.worker.supply.Dsse;
import io.strata.worker.supply.ProvenanceInput;
import io.strata.worker.supply.ProvenanceStatement;
import io.strata.worker.supply.SigningKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * attach_provenance: writes the in-toto statement with the SLSA provenance v1 predicate of the
 * pushed image and pushes it as an artifact of type {@code application/vnd.in-toto+json} whose
 * subject is the image manifest. With {@code strata_signing_key} the statement travels in a DSSE
 * envelope signed with that ECDSA P-256 key (layer type {@code application/vnd.dsse.envelope.v1+json});
 * without, as the plain statement. The request in it is the one stored, without credentials.
 * The provenance is written and stored from the moment tag_and_push has read the pushed manifest
 * back ({@link #begin}); this step waits for it and for the SBOM begun at the same moment, and lists
 * both in the referrers tag with one update: the SBOM also when the provenance could not be written.
 */
final class AttachProvenanceStep implements Step<WorkerState>, EarlyStart {
    static final String NAME = "attach_provenance";
    private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();
    private static final String KIND = "provenance";
    private static final ObjectMapper SNAKE_CASE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final RegistryClient registry;
    private final BuildEnvironment environment;
    private final Configuration config;

    AttachProvenanceStep(RegistryClient registry, BuildEnvironment environment, Configuration config) {
        this.registry = registry;
        this.environment = environment;
        this.config = config;
    }

    /**
     * Begins writing and storing the provenance (it needs nothing the later steps read), when the
     * plan runs this step later: tag_and_push calls it once the pushed manifest is read back,
     * through the uploads opened while the image was built (or, when none were, uploads for both
     * documents opened now). Its time is that moment: the image it describes is complete.
     * A build that fails before this step leaves the stored artifact unlisted in the referrers tag,
     * where nobody finds it.
     */
    @Override
    public WorkerState begin(WorkerState state, StepContext context) throws StrataException {
        if (!context.laterSteps().contains(NAME) || state.pushed().isEmpty() || state.attaching().begun(KIND)) {
            return state;
        }
        return begin(state, context, context.laterSteps().contains(AttachSbomStep.NAME) ? 2 : 1);
    }

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        WorkerState storing = state.attaching().begun(KIND) ? state : begin(state, context, 1);
        return Attach.finish(storing, context, registry);
    }

    private WorkerState begin(WorkerState state, StepContext context, int uploads) throws StrataException {
        Instant finishedOn = context.clock().instant();
        return state.withUnattached(PendingAttestation.begin(KIND, registry,
                Attach.preparation(state, registry.reportingTo(context::log), uploads),
                log -> provenance(state, finishedOn, log)));
    }

    private AttestationDocument provenance(WorkerState state, Instant finishedOn, Consumer<String> log)
            throws StrataException {
        PushedImage pushed = state.requirePushed();
        var source = state.requireSource();
        Map<String, Object> request = externalParameters(state.request());
        byte[] statement = ProvenanceStatement.write(new ProvenanceInput(pushed.repository(), pushed.digest(), request,
                state.platform().toString(), AddLabelsStep.vcsUrl(state.request().gitUri()), source.commitId(),
                state.pinnedParents(), repoFiles(state), state.buildId().value(), state.startedAt(),
                finishedOn, environment.strataVersion(),
                Map.of("strata", environment.strataVersion(), "buildah", environment.buildahVersion())));
        Optional<Path> keyFile = config.signingKey();
        if (keyFile.isEmpty()) {
            log.accept("provenance is not signed: no strata_signing_key is configured");
            return Attach.document(KIND, ProvenanceStatement.MEDIA_TYPE, ProvenanceStatement.MEDIA_TYPE,
                    statement, false, source.commitTime());
        }
        PrivateKey key = SigningKeys.readPrivate(keyFile.get());
        byte[] envelope = Dsse.sign(ProvenanceStatement.PAYLOAD_TYPE, statement, key, "");
        log.accept("provenance signed with the key of " + keyFile.get());
        return Attach.document(KIND, ProvenanceStatement.MEDIA_TYPE, Dsse.MEDIA_TYPE, envelope, true,
                source.commitTime());
    }

    /**
     * Writes, once per process and on a thread of its own, a statement for {@code request} about no
     * image, and drops it: the first build then does not load and compile the JSON writers after
     * its push, when its build is waiting for them, but while buildah builds.
     */
    static void warmUpInBackground(io.strata.core.request.BuildRequest request) {
        if (WARMED.compareAndSet(false, true)) {
            io.strata.core.pipeline.Background.warmUp("strata-provenance-warm-up", () -> ProvenanceStatement.write(new ProvenanceInput(
                    "localhost/warm-up", "sha256:" + "0".repeat(64), externalParameters(request), "linux/amd64",
                    "https://localhost/warm-up.git", "0".repeat(40), Map.of("warm-up", "localhost/warm-up@sha256:"
                            + "0".repeat(64)), List.of(), "warm-up", Instant.EPOCH, Instant.EPOCH, "0", Map.of("strata", "0"))));
        }
    }

    /** The request as the provenance's external parameters: without credentials, as the record stores it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> externalParameters(io.strata.core.request.BuildRequest request) {
        return SNAKE_CASE.convertValue(request.withoutCredentials(), Map.class);
    }

    /** The .repo files the build's RUN steps had, each with the URL (without credentials) it came from. */
    private static List<ProvenanceInput.RepoFile> repoFiles(WorkerState state) throws StrataException {
        List<ProvenanceInput.RepoFile> files = new ArrayList<>();
        if (state.repoDir().isEmpty()) {
            return files;
        }
        List<String> urls = state.request().yumRepoUrls();
        List<String> names = InjectYumReposStep.fileNames(urls);
        for (int i = 0; i < urls.size(); i++) {
            Path file = state.repoDir().get().resolve(names.get(i));
            try {
                files.add(new ProvenanceInput.RepoFile(UrlCredentials.stripped(urls.get(i)), names.get(i),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)))));
            } catch (IOException e) {
                throw new StrataException("WORKSPACE_UNWRITABLE", "cannot read the fetched repo file " + file + ": "
                        + e.getMessage(), "check that nothing else removes files under STRATA_HOME while builds run", e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK provides SHA-256", e);
            }
        }
        return files;
    }
}
