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
     * Loads what writing an SBOM needs (the CycloneDX library's model and its generator's Jackson
     * serialisers for every kind of component), once per process, on a thread of its own. Cold, that
     * costs seconds, which a build started by {@code strata build} (a fresh JVM) would otherwise wait for in attach_sbom;
     * started with the worker, it runs while the image is built.
     */
    public static void warmUpInBackground() {
        if (WARMED.compareAndSet(false, true)) {
            // Writing only: the schema check is not on a build's path any more (tests and strata verify do it), and
            // loading the schema would take CPU from the build this runs beside.
            io.strata.core.pipeline.Background.warmUp("strata-sbom-warm-up", () -> write(new SbomInput("localhost/warm-up",
                    "sha256:" + "0".repeat(64), "warm-up", "0", List.of(new OsPackage("deb", "debian", "a", "1", "all")),
                    List.of(new AddedFile("/warm-up", "0".repeat(64), 1)), Map.of("warm-up", "localhost/warm-up@sha256:"
                            + "0".repeat(64)), "https://localhost/warm-up.git", "0".repeat(40), java.time.Instant.EPOCH, "0",
                    true)));
        }
    }

    public static byte[] write(SbomInput input) {
        return json(model(input));
    }

    /** The CycloneDX model of an image's SBOM, as {@link #write} serialises it. */
    static Bom model(SbomInput input) {
        Bom bom = bom(input);
        List<Component> components = new ArrayList<>();
        new TreeMap<>(input.parents()).forEach((asWritten, pinned) -> components.add(parent(asWritten, pinned)));
        input.packages().stream()
                .sorted(Comparator.comparing(OsPackage::type).thenComparing(OsPackage::name).thenComparing(OsPackage::arch))
                .forEach(p -> components.add(osPackage(p)));
        input.addedFiles().forEach(f -> components.add(file(f)));
        bom.setComponents(components);
        return bom;
    }

    /** A Bom with its serial number, timestamp, tool and subject: what every SBOM Strata writes starts with. */
    private static Bom bom(SbomInput input) {
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
        return bom;
    }

    private static final ReusedGenerator GENERATOR = new ReusedGenerator();

    /**
     * The CycloneDX library's JSON generator, made once: the library makes a new Jackson mapper per
     * generator, and a new mapper learns every model class again (tens of milliseconds per SBOM, warm).
     * One generator keeps its mapper and so its serialisers; the output is the library's own. The
     * library sets {@code bomFormat} and {@code specVersion} (no setters) by reflection in its
     * constructor; for a reused generator this does the same for each new Bom.
     */
    private static final class ReusedGenerator extends org.cyclonedx.generators.json.BomJsonGenerator {
        private static final java.lang.reflect.Field FORMAT = field("bomFormat");
        private static final java.lang.reflect.Field SPEC_VERSION = field("specVersion");

        ReusedGenerator() {
            super(new Bom(), SPEC);
        }

        synchronized String json(Bom next) throws GeneratorException {
            try {
                FORMAT.set(next, "CycloneDX");
                SPEC_VERSION.set(next, SPEC.getVersionString());
            } catch (IllegalAccessException e) {
                throw new GeneratorException(e);
            }
            this.bom = next;
            return toJsonString(true);
        }

        private static java.lang.reflect.Field field(String name) {
            try {
                java.lang.reflect.Field field = Bom.class.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("the CycloneDX library's Bom has no field " + name, e);
            }
        }
    }

    /**
     * The SBOM of an image index: the index is the metadata component (with the source commit, as an
     * image's), and its components are the platform images it lists, each with its digest and its
     * platform; what is in each image is in that image's own SBOM, found by its digest.
     *
     * @param platformImages each platform (e.g. linux/amd64) -> that image's manifest digest
     */
    public static byte[] writeIndex(SbomInput index, Map<String, String> platformImages) {
        Bom bom = bom(index);
        bom.getMetadata().getComponent().getProperties().removeIf(p -> p.getName().equals("strata:os-packages-listed"));
        List<Component> components = new ArrayList<>();
        platformImages.forEach((platform, digest) -> {
            Component image = new Component();
            image.setType(Component.Type.CONTAINER);
            image.setBomRef(index.repository() + "@" + digest);
            image.setName(index.repository());
            image.setVersion(digest);
            image.setPurl(ociPurl(index.repository(), digest));
            image.addHash(sha256Of(digest));
            image.addProperty(new Property("strata:platform", platform));
            components.add(image);
        });
        bom.setComponents(components);
        return json(bom);
    }

    private static byte[] json(Bom bom) {
        try {
            return GENERATOR.json(bom).getBytes(StandardCharsets.UTF_8);
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
