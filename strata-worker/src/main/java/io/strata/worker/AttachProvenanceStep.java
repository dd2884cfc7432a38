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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * attach_provenance: writes the in-toto statement with the SLSA provenance v1 predicate of the
 * pushed image and pushes it as an artifact of type {@code application/vnd.in-toto+json} whose
 * subject is the image manifest. With {@code strata_signing_key} the statement travels in a DSSE
 * envelope signed with that ECDSA P-256 key (layer type {@code application/vnd.dsse.envelope.v1+json});
 * without, as the plain statement. The request in it is the one stored, without credentials.
 * The SBOM attach_sbom wrote goes up with it, at once (Referrers.attachAll: one referrers-tag update
 * for both), and also when the provenance cannot be written.
 */
final class AttachProvenanceStep implements Step<WorkerState> {
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

    @Override
    public WorkerState run(WorkerState state, StepContext context) throws StrataException, InterruptedException {
        AttestationDocument provenance;
        try {
            provenance = provenance(state, context);
        } catch (StrataException e) {
            // The SBOM attach_sbom left here still goes to the registry: this failure is not the SBOM's.
            pushLeftOver(state, context);
            throw e;
        }
        return Attach.documents(state, context, registry, List.of(provenance));
    }

    private AttestationDocument provenance(WorkerState state, StepContext context) throws StrataException {
        PushedImage pushed = state.requirePushed();
        var source = state.requireSource();
        Map<String, Object> request = externalParameters(state.request());
        byte[] statement = ProvenanceStatement.write(new ProvenanceInput(pushed.repository(), pushed.digest(), request,
                state.platform().toString(), AddLabelsStep.vcsUrl(state.request().gitUri()), source.commitId(),
                state.pinnedParents(), repoFiles(state), state.buildId().value(), state.startedAt(),
                context.clock().instant(), environment.strataVersion(),
                Map.of("strata", environment.strataVersion(), "buildah", environment.buildahVersion())));
        Optional<Path> keyFile = config.signingKey();
        if (keyFile.isEmpty()) {
            context.log("provenance is not signed: no strata_signing_key is configured");
            return Attach.document("provenance", ProvenanceStatement.MEDIA_TYPE, ProvenanceStatement.MEDIA_TYPE,
                    statement, false, source.commitTime());
        }
        PrivateKey key = SigningKeys.readPrivate(keyFile.get());
        byte[] envelope = Dsse.sign(ProvenanceStatement.PAYLOAD_TYPE, statement, key, "");
        context.log("provenance signed with the key of " + keyFile.get());
        return Attach.document("provenance", ProvenanceStatement.MEDIA_TYPE, Dsse.MEDIA_TYPE, envelope, true,
                source.commitTime());
    }

    private void pushLeftOver(WorkerState state, StepContext context) {
        if (state.unattached().isEmpty()) {
            return;
        }
        try {
            Attach.documents(state, context, registry, List.of());
        } catch (StrataException e) {
            context.log("the SBOM could not be attached either: " + e.getMessage());
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
