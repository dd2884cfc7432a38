package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Holds docs/reasons.md, the one catalogue of reason codes, to the code. A reason code is an
 * UPPER_SNAKE string literal in the main sources of Strata's modules, or a constant of an enum named
 * {@code Failure}, {@code Reason} or {@code ReasonCode}. Each must have a row in docs/reasons.md, and
 * each row must name a code still in use.
 */
class ReasonCatalogueTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path CATALOGUE = ROOT.resolve("docs/reasons.md");
    /** The test kit and the benchmarks are not Strata itself: their strings are no reasons. */
    static final Set<String> MODULES = Set.of("strata-dockerfile", "strata-core", "strata-registry", "strata-worker", "strata-local", "strata-kube",
            "strata-server", "strata-cli", "strata-controller");
    static final Pattern LITERAL = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\"");
    /** The constants of a reason enum: its body up to the first line ending in ';' (or its closing brace). */
    static final Pattern REASON_ENUM = Pattern.compile("enum (?:Failure|Reason|ReasonCode) \\{(.*?)(?:;[ \\t]*\\n|\\n\\s*}\\s*\\n)", Pattern.DOTALL);
    static final Pattern ENUM_CONSTANT = Pattern.compile("(?m)^\\s*([A-Z][A-Z0-9_]*)\\s*[,(;]?\\s*$|^\\s*([A-Z][A-Z0-9_]*)\\(");
    static final Pattern ROW = Pattern.compile("(?m)^\\| `([A-Z][A-Z0-9_]*)` \\|");

    /**
     * UPPER_SNAKE literals that are not reason codes, and why. Environment variables named
     * {@code STRATA_*} are skipped by their prefix.
     */
    static final Map<String, String> NOT_REASONS = Map.ofEntries(
            Map.entry("BASE_IMAGE", "the demo's build argument name"),
            Map.entry("IO_STRATA_BUILD_ID", "the environment variable that marks a build's child processes for the reconciler"),
            Map.entry("BLOB_UNKNOWN", "a registry API error code Strata reads"),
            Map.entry("MANIFEST_UNKNOWN", "a registry API error code Strata reads"),
            Map.entry("NAME_UNKNOWN", "a registry API error code Strata reads"),
            Map.entry("MANIFEST_BLOB_UNKNOWN", "a registry API error code Strata reads"),
            Map.entry("DIGEST_INVALID", "a registry API error code Strata reads"),
            Map.entry("KUBERNETES_SERVICE_HOST", "the environment variable that says Strata runs in a pod"),
            Map.entry("OPENSHIFT_CI", "an environment variable set in CI BuildConfigs"),
            Map.entry("REACTOR_CONFIG", "a BuildConfig environment variable name"),
            Map.entry("USER_PARAMS", "a BuildConfig environment variable name"),
            Map.entry("REGISTRY_AUTH_FILE", "podman's environment variable for the auth file"),
            Map.entry("XDG_RUNTIME_DIR", "where podman keeps its default auth file"),
            Map.entry("CONTAINERS_STORAGE_CONF", "buildah's environment variable naming its storage configuration"),
            Map.entry("POD_NAME", "the worker pod's environment variable with its own name (a fieldRef)"));

    @Test
    void everyReasonInTheCodeIsDocumentedAndEveryDocumentedReasonIsUsed() throws IOException {
        Map<String, Set<String>> used = reasonsInTheCode();
        Set<String> documented = new TreeSet<>();
        ROW.matcher(Files.readString(CATALOGUE)).results().forEach(m -> documented.add(m.group(1)));

        Map<String, Set<String>> undocumented = new TreeMap<>(used);
        undocumented.keySet().removeAll(documented);
        assertThat(undocumented)
                .as("reason codes used in the code but missing from docs/reasons.md (code -> files). For each, add a row"
                        + " `| `CODE` | where | meaning | what to do |` to the table of its area in docs/reasons.md"
                        + " (Command line, Configuration, Build requests, Builds, Store, Dockerfile commands, CI streams)."
                        + " If one is not a reason code at all, add it to NOT_REASONS in ReasonCatalogueTest with why")
                .isEmpty();
        Set<String> unused = new TreeSet<>(documented);
        unused.removeAll(used.keySet());
        assertThat(unused).as("rows of docs/reasons.md whose reason code no code uses any more: remove them").isEmpty();
    }

    @Test
    void theScanFindsReasonsOfEveryKind() throws IOException {
        // Literals, constants holding them, and enum constants: if the scan broke, the test above would pass vacuously.
        assertThat(reasonsInTheCode()).containsKeys("DAEMON_LOST", "CONFIG_INVALID", "STORE_UNAVAILABLE", "GIT_REF_NOT_FOUND", "CANCELLED",
                "REGISTRY_AUTH_FAILED", "MISSING_COMPONENT", "INVALID_USAGE").doesNotContainKeys("STRATA_HOME", "USER_PARAMS");
    }

    /** Every reason code in the main sources, with the files using it. */
    static Map<String, Set<String>> reasonsInTheCode() throws IOException {
        Map<String, Set<String>> found = new TreeMap<>();
        for (String module : MODULES) {
            Path sources = ROOT.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(file);
                    String name = ROOT.relativize(file).toString();
                    Matcher literal = LITERAL.matcher(text);
                    while (literal.find()) {
                        String code = literal.group(1);
                        if (!code.startsWith("STRATA_") && !NOT_REASONS.containsKey(code)) {
                            found.computeIfAbsent(code, k -> new TreeSet<>()).add(name);
                        }
                    }
                    Matcher enumBody = REASON_ENUM.matcher(text);
                    while (enumBody.find()) {
                        Matcher constant = ENUM_CONSTANT.matcher(enumBody.group(1));
                        while (constant.find()) {
                            String code = constant.group(1) != null ? constant.group(1) : constant.group(2);
                            found.computeIfAbsent(code, k -> new TreeSet<>()).add(name);
                        }
                    }
                }
            }
        }
        // The launcher's shell prints a few failures itself (the build daemon's client): "strata: ... [CODE]".
        List<Path> scripts = new java.util.ArrayList<>(List.of(ROOT.resolve("strata")));
        try (Stream<Path> files = Files.walk(ROOT.resolve("scripts"))) {
            files.filter(f -> f.toString().endsWith(".sh")).forEach(scripts::add);
        }
        for (Path script : scripts) {
            Matcher printed = SCRIPT_REASON.matcher(Files.readString(script));
            while (printed.find()) {
                found.computeIfAbsent(printed.group(1), k -> new TreeSet<>()).add(ROOT.relativize(script).toString());
            }
        }
        return found;
    }

    /** A reason code as a shell script prints it, at the end of a {@code strata: ...} line. */
    static final Pattern SCRIPT_REASON = Pattern.compile("strata: [^\\n\"]*\\[([A-Z][A-Z0-9_]*)\\]");
}
