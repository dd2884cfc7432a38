package io.strata.cli.verify;

import io.strata.cli.options.ConfigOptions;
import io.strata.core.StrataException;
import io.strata.core.config.Configuration;
import io.strata.registry.ImageManifest;
import io.strata.registry.ImageReference;
import io.strata.registry.ManifestList;
import io.strata.registry.Referrers;
import io.strata.registry.RegistryAuthFile;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryClientConfig;
import io.strata.registry.RegistryRetry;
import io.strata.worker.RegistryTarget;
import io.strata.worker.supply.ImageVerifier;
import io.strata.worker.supply.SigningKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code strata verify IMAGE[@DIGEST]}: fetches the SBOM and provenance attached to an image by its
 * digest (a tag is resolved first; an index is checked itself and per platform image), checks them and
 * prints what it found. Exit 0 when both are there and valid and a signature verifies; 1 otherwise.
 * Registry credentials are read as {@code strata build} reads them.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check the SBOM and provenance attached to an image: found, valid, about this image, signature verified.")
public final class VerifyCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Parameters(paramLabel = "IMAGE", description = "The image, best by digest: registry/repository@sha256:...")
    String image;

    @Option(names = "--key", paramLabel = "PUBLIC.pem",
            description = "ECDSA P-256 public key (PEM) to check the provenance signature with (default: strata_verify_key).")
    Path key;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StrataException {
        PrintWriter out = spec.commandLine().getOut();
        Configuration config = configOptions.load(spec.commandLine().getErr()).config();
        ImageReference reference = ImageReference.parse(image);
        Optional<Path> keyFile = Optional.ofNullable(key).or(config::verifyKey);
        Optional<PublicKey> publicKey = keyFile.isPresent() ? Optional.of(SigningKeys.readPublic(keyFile.get())) : Optional.empty();
        List<ImageVerifier.Report> failed = new ArrayList<>();
        try (RegistryClient client = client(config)) {
            ImageVerifier verifier = new ImageVerifier(new Referrers(client), publicKey);
            for (ImageReference manifest : imageManifests(client, reference)) {
                ImageVerifier.Report report = verifier.verify(manifest);
                print(report, out);
                if (!report.passed()) {
                    failed.add(report);
                }
            }
        }
        out.flush();
        if (!failed.isEmpty()) {
            ImageVerifier.Report first = failed.getFirst();
            List<String> problems = new ArrayList<>();
            first.missing().forEach(kind -> problems.add("no " + kind + " is attached"));
            first.findings().forEach(f -> f.problems().forEach(p -> problems.add(f.kind() + " " + f.digest() + ": " + p)));
            throw new StrataException(first.reason(), first.image() + " does not verify: " + String.join("; ", problems),
                    switch (first.reason()) {
                        case "ATTESTATION_MISSING" -> "build the image with Strata (it attaches both), or check that the"
                                + " registry keeps the referrers tag " + Referrers.referrersTag(first.image().substring(
                                        first.image().indexOf('@') + 1));
                        case "SIGNATURE_INVALID" -> "check with the public key of the strata_signing_key that built it"
                                + " (--key PUBLIC.pem); a signature that does not verify means the document was changed";
                        default -> "do not trust this image's attestations; rebuild it";
                    });
        }
        return 0;
    }

    private static void print(ImageVerifier.Report report, PrintWriter out) {
        out.println("image       " + report.image());
        for (ImageVerifier.Finding finding : report.findings()) {
            out.printf("%-11s %s %s%n", finding.kind(), finding.digest(), finding.problems().isEmpty() ? "OK" : "INVALID");
            if (!finding.summary().isEmpty()) {
                out.println("            " + finding.summary());
            }
            finding.problems().forEach(problem -> out.println("            problem: " + problem));
        }
        report.missing().forEach(kind -> out.printf("%-11s MISSING%n", kind));
    }

    /** The manifests to check: the image named, or an index (manifest list) itself and each of its platform images. */
    private static List<ImageReference> imageManifests(RegistryClient client, ImageReference reference)
            throws StrataException {
        return switch (client.fetch(reference)) {
            case ImageManifest manifest -> List.of(reference.pinnedTo(manifest.digest()));
            case ManifestList list -> {
                // The index's own documents first (Strata attaches them to the index it pushes), then each platform's.
                List<ImageReference> all = new ArrayList<>();
                all.add(reference.pinnedTo(list.digest()));
                list.entries().forEach(e -> all.add(reference.pinnedTo(e.manifest().digest())));
                yield all;
            }
        };
    }

    /** A client as {@code strata build}'s: the configured or usual auth file, plain HTTP for an http:// registry_uri. */
    private static RegistryClient client(Configuration config) throws StrataException {
        Optional<Path> authFile = config.strata().registryAuthFile();
        RegistryAuthFile auth = authFile.isPresent() ? RegistryAuthFile.load(authFile.get()) : RegistryAuthFile.discover();
        Set<String> insecure = Set.of();
        if (config.registryUri().isPresent()) {
            RegistryTarget target = RegistryTarget.fromRegistryUri(config.registryUri().get());
            insecure = target.insecure() ? Set.of(target.host()) : Set.of();
        }
        return new RegistryClient(RegistryClientConfig.defaults().withAuthFile(auth).withInsecureRegistries(insecure)
                .withRetry(new RegistryRetry(config.registryRetryTimeout()), line -> { }));
    }
}
