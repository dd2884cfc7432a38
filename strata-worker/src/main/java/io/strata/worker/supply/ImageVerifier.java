package io.strata.worker.supply;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.registry.ImageReference;
import io.strata.registry.Referrer;
import io.strata.registry.Referrers;
import io.strata.registry.RegistryException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code strata verify} checks of one image manifest: its referrers (through the referrers
 * API or the referrers tag) hold an SBOM and a provenance statement; each names the image as its
 * subject; the SBOM is valid CycloneDX; the provenance is an in-toto statement with SLSA
 * provenance v1 for this digest; a signed one verifies with the key given, and a key given means
 * the provenance must be signed.
 */
public final class ImageVerifier {
    /** One attached document and what was found of it; {@code signatureFailed}: signed, and not verified. */
    public record Finding(String kind, String digest, String summary, List<String> problems, boolean signatureFailed) {
        public Finding {
            problems = List.copyOf(problems);
        }
    }

    /** Everything found for one image manifest; {@code missing} names the kinds of document not found at all. */
    public record Report(String image, List<Finding> findings, List<String> missing) {
        public Report {
            findings = List.copyOf(findings);
            missing = List.copyOf(missing);
        }

        public boolean passed() {
            return missing.isEmpty() && findings.stream().allMatch(f -> f.problems().isEmpty());
        }

        /** The reason code of a failed check: what scripts tell apart. */
        public String reason() {
            if (!missing.isEmpty()) {
                return "ATTESTATION_MISSING";
            }
            return findings.stream().anyMatch(Finding::signatureFailed) ? "SIGNATURE_INVALID" : "ATTESTATION_INVALID";
        }
    }

    private final Referrers referrers;
    private final Optional<PublicKey> key;

    public ImageVerifier(Referrers referrers, Optional<PublicKey> key) {
        this.referrers = referrers;
        this.key = key;
    }

    /** Checks the image manifest {@code image} (pinned to its digest). */
    public Report verify(ImageReference image) throws RegistryException {
        String digest = image.digest().orElseThrow(() -> new IllegalArgumentException("verify needs a pinned reference"));
        ImageReference repository = image;
        List<Finding> findings = new ArrayList<>();
        for (Referrer referrer : referrers.list(repository, digest)) {
            if (referrer.artifactType().equals(SbomWriter.MEDIA_TYPE)) {
                findings.add(sbom(repository, digest, referrer));
            } else if (referrer.artifactType().equals(ProvenanceStatement.MEDIA_TYPE)) {
                findings.add(provenance(repository, digest, referrer));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String kind : List.of("sbom", "provenance")) {
            if (findings.stream().noneMatch(f -> f.kind().equals(kind))) {
                missing.add(kind);
            }
        }
        return new Report(image.toString(), findings, missing);
    }

    private Finding sbom(ImageReference repository, String digest, Referrer referrer) throws RegistryException {
        List<String> problems = new ArrayList<>();
        byte[] document = document(repository, digest, referrer, problems);
        String summary = "";
        if (document != null) {
            problems.addAll(SbomWriter.problems(document));
            try {
                Map<String, Long> counts = SbomWriter.componentCounts(document);
                summary = "CycloneDX " + SbomWriter.SPEC.getVersionString() + ", components " + counts;
            } catch (org.cyclonedx.exception.ParseException e) {
                problems.add("CycloneDX cannot read it: " + e.getMessage());
            }
        }
        return new Finding("sbom", referrer.digest(), summary, problems, false);
    }

    private Finding provenance(ImageReference repository, String digest, Referrer referrer) throws RegistryException {
        List<String> problems = new ArrayList<>();
        byte[] document = document(repository, digest, referrer, problems);
        if (document == null) {
            return new Finding("provenance", referrer.digest(), "", problems, false);
        }
        Optional<Dsse.Opened> envelope = Dsse.open(document);
        byte[] statement = envelope.map(Dsse.Opened::payload).orElse(document);
        String signature;
        boolean signatureFailed = false;
        if (envelope.isPresent()) {
            if (key.isEmpty()) {
                signature = "signed, not checked";
                signatureFailed = true;
                problems.add("it is signed and no key was given to check the signature: pass --key PUBLIC.pem"
                        + " or set strata_verify_key");
            } else if (Dsse.verifies(document, key.get())) {
                signature = "signature verified with key " + SigningKeys.fingerprint(key.get()).substring(0, 16);
            } else {
                signature = "signature INVALID";
                signatureFailed = true;
                problems.add("the signature does not verify with the key " + SigningKeys.fingerprint(key.get()).substring(0, 16));
            }
            if (!ProvenanceStatement.PAYLOAD_TYPE.equals(envelope.get().payloadType())) {
                problems.add("the envelope's payloadType is " + envelope.get().payloadType() + ", not "
                        + ProvenanceStatement.PAYLOAD_TYPE);
            }
        } else {
            signature = "unsigned";
            key.ifPresent(k -> problems.add("it is not signed, but a key was given to check a signature with"));
        }
        problems.addAll(ProvenanceStatement.problems(statement, digest));
        return new Finding("provenance", referrer.digest(), "SLSA provenance v1, " + signature + builder(statement), problems,
                signatureFailed);
    }

    private static String builder(byte[] statement) {
        try {
            JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(statement);
            JsonNode predicate = json.path("predicate");
            return ", builder " + predicate.path("runDetails").path("builder").path("id").asText("?")
                    + ", build " + predicate.path("runDetails").path("metadata").path("invocationId").asText("?");
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** The artifact's one document, after checking its manifest names the image as subject; null when unreadable. */
    private byte[] document(ImageReference repository, String digest, Referrer referrer, List<String> problems)
            throws RegistryException {
        JsonNode manifest = referrers.artifactManifest(repository, referrer.digest());
        String subject = manifest.path("subject").path("digest").asText();
        if (!subject.equals(digest)) {
            problems.add("its subject is " + (subject.isEmpty() ? "missing" : subject) + ", not the image " + digest);
        }
        JsonNode layers = manifest.path("layers");
        if (layers.size() != 1) {
            problems.add("it has " + layers.size() + " layers instead of one document");
            return null;
        }
        return referrers.blob(repository, layers.get(0).path("digest").asText());
    }
}
