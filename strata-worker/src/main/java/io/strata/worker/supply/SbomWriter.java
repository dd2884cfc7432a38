package io.strata.worker.supply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Commit;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.ExternalReference;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Pedigree;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * Writes an image's SBOM as CycloneDX 1.6 JSON with the CycloneDX library. The image is the
 * metadata component (its digest as a SHA-256 hash, the source commit in its pedigree); the
 * components are the parent images (pinned digests), the OS packages (package URLs) and the files
 * the build's layers add (SHA-256). The serial number and timestamp derive from the image digest
 * and the commit time, so a reproducible image also has a reproducible SBOM.
 */
public final class SbomWriter {
    public static final Version SPEC = Version.VERSION_16;
    public static final String MEDIA_TYPE = "application/vnd.cyclonedx+json";

    private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();

    private SbomWriter() {}

    /**
     * Loads and compiles what writing and checking an SBOM needs (the CycloneDX library's mappers,
     * the JSON schema), once per process, on a thread of its own. Cold, that costs seconds, which a
     * build started by {@code strata build} (a fresh JVM) would otherwise wait for in attach_sbom;
     * started with the worker, it runs while the image is built.
     */
    public static void warmUpInBackground() {
        if (WARMED.compareAndSet(false, true)) {
            Thread.ofVirtual().name("strata-sbom-warm-up").start(() -> problems(write(new SbomInput("localhost/warm-up",
                    "sha256:" + "0".repeat(64), "warm-up", "0", List.of(new OsPackage("deb", "debian", "a", "1", "all")),
                    List.of(), Map.of(), "https://localhost/warm-up.git", "0".repeat(40), java.time.Instant.EPOCH, "0", true))));
        }
    }

    public static byte[] write(SbomInput input) {
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(input.digest().getBytes(StandardCharsets.UTF_8)));
        bom.setVersion(1);
        Metadata metadata = new Metadata();
        metadata.setTimestamp(Date.from(input.sourceDate()));
        Component tool = new Component();
        tool.setType(Component.Type.APPLICATION);
        tool.setName("strata");
        tool.setVersion(input.strataVersion());
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        metadata.setToolChoice(tools);
        metadata.setComponent(image(input));
        bom.setMetadata(metadata);

        List<Component> components = new ArrayList<>();
        new TreeMap<>(input.parents()).forEach((asWritten, pinned) -> components.add(parent(asWritten, pinned)));
        input.packages().stream()
                .sorted(Comparator.comparing(OsPackage::type).thenComparing(OsPackage::name).thenComparing(OsPackage::arch))
                .forEach(p -> components.add(osPackage(p)));
        input.addedFiles().forEach(f -> components.add(file(f)));
        bom.setComponents(components);
        try {
            return BomGeneratorFactory.createJson(SPEC, bom).toJsonString(true).getBytes(StandardCharsets.UTF_8);
        } catch (GeneratorException e) {
            throw new IllegalStateException("CycloneDX could not write an SBOM of plain components", e);
        }
    }

    private static Component image(SbomInput input) {
        Component image = new Component();
        image.setType(Component.Type.CONTAINER);
        image.setBomRef(input.repository() + "@" + input.digest());
        image.setName(input.name());
        image.setVersion(input.version());
        image.setPurl(ociPurl(input.repository(), input.digest()));
        image.addHash(sha256Of(input.digest()));
        Pedigree pedigree = new Pedigree();
        Commit commit = new Commit();
        commit.setUid(input.commitId());
        commit.setUrl(input.gitUrl());
        pedigree.setCommits(List.of(commit));
        image.setPedigree(pedigree);
        ExternalReference vcs = new ExternalReference();
        vcs.setType(ExternalReference.Type.VCS);
        vcs.setUrl(input.gitUrl());
        image.addExternalReference(vcs);
        image.addProperty(new Property("strata:vcs-ref", input.commitId()));
        image.addProperty(new Property("strata:os-packages-listed", Boolean.toString(input.packagesListed())));
        return image;
    }

    private static Component parent(String asWritten, String pinned) {
        Component parent = new Component();
        parent.setType(Component.Type.CONTAINER);
        int at = pinned.indexOf('@');
        String repository = at < 0 ? pinned : pinned.substring(0, at);
        String digest = at < 0 ? "" : pinned.substring(at + 1);
        parent.setBomRef("parent:" + pinned);
        parent.setName(repository);
        parent.setVersion(digest);
        if (!digest.isEmpty()) {
            parent.setPurl(ociPurl(repository, digest));
            parent.addHash(sha256Of(digest));
        }
        parent.addProperty(new Property("strata:parent-as-written", asWritten));
        return parent;
    }

    private static Component osPackage(OsPackage p) {
        Component component = new Component();
        component.setType(Component.Type.LIBRARY);
        component.setBomRef(p.purl());
        component.setName(p.name());
        component.setVersion(p.version());
        component.setPurl(p.purl());
        component.addProperty(new Property("strata:package-type", p.type()));
        return component;
    }

    private static Component file(AddedFile f) {
        Component component = new Component();
        component.setType(Component.Type.FILE);
        component.setBomRef("file:" + f.path());
        component.setName(f.path());
        component.addHash(new Hash(Hash.Algorithm.SHA_256, f.sha256()));
        component.addProperty(new Property("strata:size", Long.toString(f.size())));
        return component;
    }

    /** {@code pkg:oci/NAME@sha256%3A...?repository_url=HOST/PATH}, as the purl spec's oci type has it. */
    static String ociPurl(String repository, String digest) {
        String name = repository.substring(repository.lastIndexOf('/') + 1);
        return "pkg:oci/" + name + "@" + digest.replace(":", "%3A") + "?repository_url=" + repository;
    }

    private static Hash sha256Of(String digest) {
        return new Hash(Hash.Algorithm.SHA_256, digest.substring(digest.indexOf(':') + 1));
    }

    /** The schema problems of an SBOM; empty when it is valid CycloneDX 1.6 JSON. */
    public static List<String> problems(byte[] json) {
        try {
            return new org.cyclonedx.parsers.JsonParser().validate(json, SPEC).stream()
                    .map(Throwable::getMessage).toList();
        } catch (java.io.IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
    }

    /** Reads the components of an SBOM: for {@code strata verify}'s summary. */
    public static Map<String, Long> componentCounts(byte[] json) throws org.cyclonedx.exception.ParseException {
        Bom bom = new org.cyclonedx.parsers.JsonParser().parse(json);
        Map<String, Long> counts = new TreeMap<>();
        if (bom.getComponents() != null) {
            for (Component component : bom.getComponents()) {
                counts.merge(component.getType().getTypeName(), 1L, Long::sum);
            }
        }
        return counts;
    }
}
