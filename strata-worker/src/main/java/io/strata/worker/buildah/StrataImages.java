package io.strata.worker.buildah;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.worker.process.ProcessCommand;
import io.strata.worker.process.ProcessResult;
import io.strata.worker.process.ProcessRunner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The images Strata builds left in buildah's storage, for pruning: a build names its image
 * {@code localhost/[USER/]COMPONENT:TARGET-<build id>} (docs/architecture.md), so the build id at
 * the end of the tag says whose it is. Images of people and base images never match.
 */
public final class StrataImages {
    private static final Pattern BUILD_TAG = Pattern.compile("^localhost/[^:]+:[^:/]*-(\\d{8}-\\d{6}-[0-9a-f]{6})$");
    /** buildah prints sizes as go-units does: decimal, "3.36 KB", "5.12 MB". */
    private static final Pattern SIZE = Pattern.compile("([0-9.]+)\\s*([kKMGTP]?B)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One name of an image made by a build, and the image's size as buildah reports it. */
    public record BuildImage(String imageId, String name, String buildId, long bytes) {}

    private final BuildahOptions options;
    private final ProcessRunner runner;

    public StrataImages(BuildahOptions options) {
        this(options, new ProcessRunner());
    }

    StrataImages(BuildahOptions options, ProcessRunner runner) {
        this.options = options;
        this.runner = runner;
    }

    /** Every name in storage that a Strata build gave an image. */
    public List<BuildImage> list() throws BuildahException {
        List<String> out = buildah("list images", "images", "--json");
        JsonNode images;
        try {
            images = JSON.readTree(String.join("\n", out));
        } catch (IOException e) {
            throw new BuildahException(BuildahException.Failure.BUILDAH_FAILED, "buildah images printed no JSON: "
                    + e.getMessage(), "check that buildah is version 1.23 or newer", e);
        }
        List<BuildImage> found = new ArrayList<>();
        for (JsonNode image : images) {
            for (JsonNode name : image.path("names")) {
                Matcher m = BUILD_TAG.matcher(name.asText());
                if (m.matches()) {
                    found.add(new BuildImage(image.path("id").asText(), name.asText(), m.group(1),
                            bytes(image.path("size").asText())));
                }
            }
        }
        return List.copyOf(found);
    }

    /**
     * Removes the name; buildah deletes the image with its last name. False when buildah refuses
     * (a container still uses the image): it stays, referenced.
     */
    public boolean remove(String name) throws BuildahException {
        try {
            buildah("remove image " + name, "rmi", name);
            return true;
        } catch (BuildahException e) {
            if (e.failure() == BuildahException.Failure.BUILDAH_MISSING) {
                throw e;
            }
            return false;
        }
    }

    static long bytes(String size) {
        Matcher m = SIZE.matcher(size.strip());
        if (!m.find()) {
            return 0;
        }
        int power = "BKMGTP".indexOf(Character.toUpperCase(m.group(2).charAt(0)));
        return Math.round(Double.parseDouble(m.group(1)) * Math.pow(1000, power));
    }

    private List<String> buildah(String what, String... arguments) throws BuildahException {
        List<String> command = new ArrayList<>(List.of("buildah"));
        command.addAll(options.globalArguments());
        command.addAll(List.of(arguments));
        List<String> out = new ArrayList<>();
        ProcessResult result;
        try {
            result = runner.run(ProcessCommand.of(command), out::add, line -> { });
        } catch (IOException e) {
            throw new BuildahException(BuildahException.Failure.BUILDAH_MISSING, "cannot " + what + ": " + e.getMessage(),
                    "install buildah (apt-get install buildah) and make sure it is on PATH", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildahException(BuildahException.Failure.CANCELLED, "interrupted: " + what, "", e);
        }
        if (!result.succeeded()) {
            throw new BuildahException(BuildahException.Failure.BUILDAH_FAILED, "buildah could not " + what + ": "
                    + result.tailText().toLowerCase(Locale.ROOT).strip(), "see buildah's message");
        }
        return out;
    }

}
