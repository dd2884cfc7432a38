package io.strata.worker;

import io.strata.core.StrataException;
import io.strata.core.build.Attestation;
import io.strata.core.build.BuildId;
import io.strata.core.build.ImageOutput;
import io.strata.core.request.BuildRequest;
import io.strata.registry.ImageReference;
import io.strata.registry.RegistryClient;
import io.strata.worker.supply.Dsse;
import io.strata.worker.supply.ProvenanceInput;
import io.strata.worker.supply.ProvenanceStatement;
import io.strata.worker.supply.SbomInput;
import io.strata.worker.supply.SbomWriter;
import io.strata.worker.supply.SigningKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The image index of a multi-platform build gets attestations of its own, as each platform image
 * has: a provenance statement whose subject is the index and whose resolved dependencies are the
 * source commit and every platform image (by digest), signed as the workers' are; and an SBOM whose
 * components are the platform images (what is in each is in that image's own SBOM). Both pushed at
 * once with the index as their subject, so {@code strata verify} on the index finds them by its digest.
 */
public final class IndexAttestations {
    /**
     * The build the index comes from.
     *
     * @param request   the request (credentials are removed here)
     * @param startedAt when the build started
     */
    public record Origin(BuildId buildId, BuildRequest request, Instant startedAt) {}

    private final Optional<Path> signingKey;
    private final String strataVersion;
    private final Clock clock;

    public IndexAttestations(Optional<Path> signingKey, String strataVersion, Clock clock) {
        this.signingKey = signingKey;
        this.strataVersion = strataVersion;
        this.clock = clock;
    }

    /** Attaches the index's SBOM and provenance; returns the index output with them recorded. */
    ImageOutput attach(RegistryClient client, ImageOutput index, List<IndexPublisher.PlatformImage> images, Origin origin,
            Consumer<String> log) throws StrataException {
        Map<String, String> labels = index.labels();
        String commit = labels.getOrDefault("vcs-ref", "");
        String gitUrl = AddLabelsStep.vcsUrl(origin.request().gitUri());
        // The images' build-date: the commit's time unless strata_build_date = wallclock, as for the images' documents.
        Instant sourceDate = Optional.ofNullable(labels.get("build-date")).map(Instant::parse).orElse(origin.startedAt());
        Map<String, String> platformDigests = new LinkedHashMap<>();
        Map<String, String> platformImages = new LinkedHashMap<>();
        for (IndexPublisher.PlatformImage image : images) {
            platformDigests.put(image.platform().toString(), image.output().digest());
            platformImages.put(image.platform().toString(), index.repository() + "@" + image.output().digest());
        }
        byte[] sbom = SbomWriter.writeIndex(new SbomInput(index.repository(), index.digest(),
                labels.getOrDefault(AddLabelsStep.NAME, ""), labels.getOrDefault(AddLabelsStep.VERSION, "") + "-"
                        + labels.getOrDefault(AddLabelsStep.RELEASE, ""), List.of(), List.of(), Map.of(), gitUrl, commit,
                sourceDate, strataVersion, true), platformDigests);
        byte[] statement = ProvenanceStatement.write(new ProvenanceInput(index.repository(), index.digest(),
                AttachProvenanceStep.externalParameters(origin.request()), IndexPublisher.INDEX_PLATFORM, gitUrl, commit,
                platformImages, List.of(), origin.buildId().value(), origin.startedAt(), clock.instant(), strataVersion,
                Map.of("strata", strataVersion)));
        List<AttestationDocument> documents = new ArrayList<>();
        documents.add(Attach.document("sbom", SbomWriter.MEDIA_TYPE, SbomWriter.MEDIA_TYPE, sbom, false, sourceDate));
        if (signingKey.isPresent()) {
            byte[] envelope = Dsse.sign(ProvenanceStatement.PAYLOAD_TYPE, statement, SigningKeys.readPrivate(signingKey.get()), "");
            documents.add(Attach.document("provenance", ProvenanceStatement.MEDIA_TYPE, Dsse.MEDIA_TYPE, envelope, true,
                    sourceDate));
        } else {
            documents.add(Attach.document("provenance", ProvenanceStatement.MEDIA_TYPE, ProvenanceStatement.MEDIA_TYPE,
                    statement, false, sourceDate));
        }
        List<Attestation> attested = Attach.push(client, ImageReference.parse(index.repository()), index.digest(), documents,
                log);
        return new ImageOutput(index.platform(), index.repository(), index.digest(), index.tags(), index.sizeBytes(),
                index.layerDigests(), index.components(), index.labels(), index.parentImages(), attested);
    }
}
