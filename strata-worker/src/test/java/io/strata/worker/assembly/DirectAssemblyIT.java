package io.strata.worker.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.dockerfile.Dockerfile;
import io.strata.registry.ImageReference;
import io.strata.registry.Platform;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryClientConfig;
import io.strata.testkit.BuildParts;
import io.strata.worker.buildah.BudSpec;
import io.strata.worker.buildah.Buildah;
import io.strata.worker.buildah.BuildahOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image Strata assembles for a COPY-only Dockerfile against buildah's build of the same
 * Dockerfile from the same context: the same file tree (types, modes, owners, contents, link
 * targets), the same configuration (env, labels, entrypoint, cmd, user, working directory, ports)
 * and the same history shape. Both images are unpacked by buildah itself (pull, mount), so the
 * assembled one is also shown to be readable by a real client.
 */
class DirectAssemblyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant CREATED = Instant.parse("2026-12-01T12:00:00Z");
    private static BuildParts parts;
    private static RegistryClient client;
    private static String pinnedBase;

    @TempDir
    static Path shared;

    @BeforeAll
    static void start() throws Exception {
        parts = BuildParts.start();
        client = new RegistryClient(RegistryClientConfig.defaults());
        String digest = client.manifest(ImageReference.parse(parts.baseImage())).digest();
        pinnedBase = parts.registry().host() + "/base/busybox@" + digest;
    }

    @AfterAll
    static void stop() {
        client.close();
        parts.close();
    }

    @Test
    void assembledImageHasBuildahsFileTreeAndConfiguration() throws Exception {
        Path context = Files.createDirectories(shared.resolve("context"));
        Path app = Files.createDirectories(context.resolve("app/sub/deeper"));
        Files.writeString(app.getParent().getParent().resolve("a.txt"), "hello\n");
        Files.writeString(app.resolve("secret.key"), "k");
        Files.setPosixFilePermissions(app.resolve("secret.key"), PosixFilePermissions.fromString("rw-------"));
        Files.write(app.getParent().resolve("empty"), new byte[0]);
        byte[] big = new byte[700_000];
        new Random(7).nextBytes(big);
        Files.write(context.resolve("app/big.bin"), big);
        Files.createSymbolicLink(context.resolve("app/link"), Path.of("a.txt"));
        String longName = "n".repeat(90) + "/" + "m".repeat(90) + ".txt";
        Files.createDirectories(context.resolve("app").resolve(longName).getParent());
        Files.writeString(context.resolve("app").resolve(longName), "long");
        Files.writeString(context.resolve("tool"), "#!/bin/sh\necho tool\n");
        Files.setPosixFilePermissions(context.resolve("tool"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(context.resolve("conf.ini"), "[x]\n");
        Files.writeString(context.resolve("one.cfg"), "1");
        Files.writeString(context.resolve("two.cfg"), "2");
        String dockerfile = String.join("\n",
                "FROM " + pinnedBase,
                "ARG VERSION=1.2",
                "ENV APP_HOME=/opt/app MODE=\"a b\"",
                "LABEL name=demo version=$VERSION",
                "COPY app $APP_HOME/",
                "COPY --chown=1000:1001 tool /usr/local/bin/",
                "COPY --chmod=0640 conf.ini /etc/demo/",
                "COPY conf.ini /etc",
                "COPY --chown=7:8 app/sub /var/lib/demo/data",
                "WORKDIR /srv",
                "COPY *.cfg cfg/",
                "USER 1000:1001",
                "WORKDIR /home/app/data",
                "COPY one.cfg /srv/extra/",
                "EXPOSE 8080 9090/udp",
                "ENTRYPOINT [\"/usr/local/bin/tool\"]",
                "CMD serve --port \"$PORT\"",
                "");
        Files.writeString(context.resolve("Dockerfile"), dockerfile);

        List<String> log = new ArrayList<>();
        ImageReference target = ImageReference.parse(parts.registry().host() + "/apps/demo");
        AssembledImage assembled = new DirectAssembly(client).assemble(Dockerfile.parse(dockerfile), Map.of(), context,
                target, Platform.linux("amd64"), CREATED, log::add).orElseThrow(() -> new AssertionError(log));
        client.blobs().putManifest(target, "assembled", assembled.mediaType(), assembled.manifest());

        Buildah buildah = new Buildah(new BuildahOptions(parts.buildah().storageRoot(), parts.buildah().runRoot(),
                parts.buildah().storageDriver(), null, false));
        buildah.bud(BudSpec.builder(context).dockerfile(context.resolve("Dockerfile")).tag("localhost/by-buildah")
                .baseImage(pinnedBase).platform("linux/amd64").layers(true).build(), line -> { });
        parts.buildah().buildah("pull", "--tls-verify=false", target.withTag("assembled").toString());

        Map<String, String> byBuildah = tree("localhost/by-buildah");
        Map<String, String> byStrata = tree(target.withTag("assembled").toString());
        assertThat(byStrata).isEqualTo(byBuildah);
        assertThat(byStrata).containsKeys("/opt/app/link", "/opt/app/" + longName, "/srv/cfg/one.cfg")
                .containsEntry("/usr/local/bin/tool", "file 755 1000:1001 " + sha256("#!/bin/sh\necho tool\n".getBytes()))
                .containsEntry("/etc/demo/conf.ini", "file 640 0:0 " + sha256("[x]\n".getBytes()))
                .containsEntry("/etc/conf.ini", "file 644 0:0 " + sha256("[x]\n".getBytes()))
                .containsEntry("/var/lib", "dir 755 7:8")
                .containsEntry("/home/app/data", "dir 755 1000:1001")
                .containsEntry("/srv/extra/one.cfg", "file 644 0:0 " + sha256("1".getBytes()))
                .containsEntry("/usr/local", "dir 755 1000:1001")
                .containsEntry("/opt/app/sub/deeper/secret.key", "file 600 0:0 " + sha256("k".getBytes()));

        JsonNode buildahConfig = ociConfig("localhost/by-buildah");
        JsonNode strataConfig = ociConfig(target.withTag("assembled").toString());
        for (String field : List.of("Env", "Entrypoint", "Cmd", "WorkingDir", "User", "ExposedPorts")) {
            assertThat(strataConfig.path("config").path(field)).as(field).isEqualTo(buildahConfig.path("config").path(field));
        }
        // buildah stamps its version label on what it builds; the assembled image keeps the base image's.
        assertThat(withoutBuildahVersion(strataConfig)).isEqualTo(withoutBuildahVersion(buildahConfig))
                .containsEntry("name", "demo").containsEntry("version", "1.2");
        assertThat(strataConfig.path("rootfs").path("diff_ids").size())
                .isEqualTo(buildahConfig.path("rootfs").path("diff_ids").size());
        assertThat(emptyLayerFlags(strataConfig)).isEqualTo(emptyLayerFlags(buildahConfig));
        assertThat(strataConfig.path("architecture").asText()).isEqualTo("amd64");
        assertThat(assembled.baseImage()).contains(pinnedBase);
        assertThat(log).anyMatch(line -> line.startsWith("assembling the image directly (7 layers"));

        // Reproducible: the same context and time give the same manifest, byte for byte.
        AssembledImage again = new DirectAssembly(client).assemble(Dockerfile.parse(dockerfile), Map.of(), context,
                target, Platform.linux("amd64"), CREATED, line -> { }).orElseThrow();
        assertThat(again.digest()).isEqualTo(assembled.digest());
    }

    @Test
    void aDockerfileWithRunIsLeftToBuildah() throws Exception {
        Path context = Files.createDirectories(shared.resolve("with-run"));
        Files.writeString(context.resolve("f"), "x");
        String dockerfile = "FROM " + pinnedBase + "\nCOPY f /d/\nRUN true\n";
        List<String> log = new ArrayList<>();
        Optional<AssembledImage> assembled = new DirectAssembly(client).assemble(Dockerfile.parse(dockerfile), Map.of(),
                context, ImageReference.parse(parts.registry().host() + "/apps/run"), Platform.linux("amd64"), CREATED,
                log::add);
        assertThat(assembled).isEmpty();
        assertThat(log).containsExactly("building with buildah: line 3 (RUN) is not COPY, ADD or metadata");
    }

    /** Every path of the image: kind, mode, owner and content hash or link target. */
    private static Map<String, String> tree(String image) throws IOException {
        String container = parts.buildah().buildah("from", "--pull=never", image).strip();
        try {
            Path root = Path.of(parts.buildah().buildah("mount", container).strip());
            Map<String, String> tree = new TreeMap<>();
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.toList()) {
                    if (path.equals(root)) {
                        continue;
                    }
                    String kind = Files.isSymbolicLink(path) ? "link -> " + Files.readSymbolicLink(path)
                            : Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "dir" : "file";
                    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                    String owner = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
                            + Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                    String content = kind.equals("file") ? " " + sha256(path) : "";
                    tree.put("/" + root.relativize(path), kind + (kind.startsWith("link") ? "" : " "
                            + Integer.toOctalString(mode)) + " " + owner + content);
                }
            }
            return tree;
        } finally {
            parts.buildah().buildah("rm", container);
        }
    }

    private static JsonNode ociConfig(String image) throws IOException {
        return JSON.readTree(parts.buildah().buildah("inspect", "--type", "image", image)).path("OCIv1");
    }

    private static Map<String, String> withoutBuildahVersion(JsonNode config) {
        Map<String, String> labels = new TreeMap<>();
        config.path("config").path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        labels.remove("io.buildah.version");
        return labels;
    }

    private static List<Boolean> emptyLayerFlags(JsonNode config) {
        List<Boolean> flags = new ArrayList<>();
        config.path("history").forEach(entry -> flags.add(entry.path("empty_layer").asBoolean(false)));
        return flags;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in.readAllBytes());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
