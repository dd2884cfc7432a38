package io.strata.worker.assembly;

import io.strata.core.StrataException;
import io.strata.dockerfile.ArgDeclaration;
import io.strata.dockerfile.Arguments;
import io.strata.dockerfile.Dockerfile;
import io.strata.dockerfile.DockerfileException;
import io.strata.dockerfile.Flag;
import io.strata.dockerfile.Instruction;
import io.strata.dockerfile.KeyValue;
import io.strata.dockerfile.ShellLexer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether Strata can assemble a Dockerfile's image itself and, if so, what to do: a single
 * stage whose FROM is pinned by digest (or scratch) and whose instructions are only COPY or ADD of
 * files in the build context and metadata. Anything else (RUN, several stages, COPY --from, ADD of
 * a URL or of an archive, names in --chown, a .dockerignore, a destination through a symbolic link
 * of the image) goes to buildah, with the reason in the log. Where buildah's result depends on what
 * the image holds (a destination without a trailing slash, the directories a COPY --chown makes)
 * the base image's tree is read, headers only, never unpacked. Variables are expanded as the build
 * does: a stage's ARGs (build arguments over defaults), then ENVs.
 */
final class StagePlanner {
    private static final Set<String> METADATA = Set.of("ENV", "LABEL", "WORKDIR", "USER", "EXPOSE", "CMD",
            "ENTRYPOINT", "ARG", "STOPSIGNAL");
    private static final Set<String> IGNORE_FILES = Set.of(".dockerignore", ".containerignore");

    private StagePlanner() {}

    /** What the planner found: a plan, or why buildah has to build it. */
    sealed interface Assessment {
        record Assemblable(AssemblyPlan plan) implements Assessment {}

        record NotAssemblable(String reason) implements Assessment {}
    }

    /** Reads the base image's tree, only when a COPY needs it, and at most once. */
    interface BaseTreeSource {
        BaseTree load() throws StrataException, InterruptedException, IOException;
    }

    /** The base image's tree with the layers planned so far applied on top. */
    private static final class Trees {
        private final BaseTreeSource source;
        private BaseTree tree;
        private int folded;

        Trees(BaseTreeSource source) {
            this.source = source;
        }

        BaseTree tree(List<AssemblyPlan.Step> planned) throws StrataException, InterruptedException, IOException {
            if (tree == null) {
                tree = source.load();
            }
            for (; folded < planned.size(); folded++) {
                if (planned.get(folded) instanceof AssemblyPlan.Step.Copy copy) {
                    tree.addAll(LayerContent.of(copy.copy()));
                }
            }
            return tree;
        }
    }

    static Assessment assess(Dockerfile dockerfile, Map<String, String> buildArgs, Path contextDir, BaseTreeSource base)
            throws IOException, StrataException, InterruptedException {
        try {
            return plan(dockerfile, buildArgs, contextDir, new Trees(base));
        } catch (DockerfileException e) {
            return new Assessment.NotAssemblable("a word could not be expanded (" + e.getMessage() + ")");
        }
    }

    private static Assessment plan(Dockerfile dockerfile, Map<String, String> buildArgs, Path contextDir, Trees trees)
            throws IOException, DockerfileException, StrataException, InterruptedException {
        for (String ignoreFile : IGNORE_FILES) {
            if (Files.exists(contextDir.resolve(ignoreFile))) {
                return no("the context has a " + ignoreFile);
            }
        }
        ShellLexer lexer = ShellLexer.expanding(dockerfile.escapeCharacter());
        Map<String, String> globals = new HashMap<>();
        Map<String, String> scope = new HashMap<>();
        Map<String, String> envs = new HashMap<>();
        String base = null;
        String workdir = "/";
        // USER as set in this stage so far (null: the base image's), and the WORKDIRs since the last layer.
        String user = null;
        List<String[]> pendingWorkdirs = new ArrayList<>();
        List<AssemblyPlan.Step> steps = new ArrayList<>();
        for (Instruction instruction : dockerfile.instructions()) {
            String keyword = instruction.keyword();
            String where = "line " + instruction.startLine() + " (" + keyword + ")";
            if (base == null) {
                if (keyword.equals("ARG")) {
                    for (ArgDeclaration d : ((Arguments.ArgDeclarations) instruction.arguments()).declarations()) {
                        String value = buildArgs.getOrDefault(d.name(),
                                d.rawDefault() == null ? null : lexer.processWord(d.rawDefault(), globals, instruction.startLine()));
                        if (value != null) {
                            globals.put(d.name(), value);
                        }
                    }
                    continue;
                }
                if (!keyword.equals("FROM") || !(instruction.arguments() instanceof Arguments.FromImage from)) {
                    return no(where + " comes before FROM");
                }
                if (!instruction.flags().isEmpty()) {
                    return no(where + " has flags");
                }
                base = lexer.processWord(from.rawImage(), globals, instruction.startLine());
                if (!base.equals("scratch") && !base.contains("@sha256:")) {
                    return no("the base image " + base + " is not pinned to a digest");
                }
                continue;
            }
            if (!instruction.heredocs().isEmpty()) {
                return no(where + " has a here-document");
            }
            if (keyword.equals("FROM")) {
                return no("the Dockerfile has more than one stage");
            }
            if (keyword.equals("COPY") || keyword.equals("ADD")) {
                Optional<String> refused = copyFlagsRefused(instruction);
                if (refused.isPresent()) {
                    return no(where + ": " + refused.get());
                }
                Arguments.Words words = (Arguments.Words) instruction.arguments();
                List<String> expanded = new ArrayList<>();
                for (String word : words.words()) {
                    expanded.add(words.json() ? word : lexer.processWord(word, scope, instruction.startLine()));
                }
                if (expanded.size() < 2) {
                    return no(where + " names no destination");
                }
                String destination = expanded.getLast();
                if (!destination.startsWith("/")) {
                    destination = (workdir.endsWith("/") ? workdir : workdir + "/") + destination;
                }
                List<Path> sources = new ArrayList<>();
                for (String source : expanded.subList(0, expanded.size() - 1)) {
                    Optional<String> problem = resolveSource(keyword, source, contextDir, sources);
                    if (problem.isPresent()) {
                        return no(where + ": " + problem.get());
                    }
                }
                boolean directorySource = sources.size() == 1 && Files.isDirectory(sources.getFirst());
                boolean intoDirectory = destination.endsWith("/") || sources.size() > 1;
                int[] owner = owner(instruction.flag("chown"), scope, lexer, instruction.startLine());
                if (owner == null) {
                    return no(where + ": --chown is not numeric user:group; names and a user's own group only the base image's"
                            + " /etc/passwd knows");
                }
                Optional<Integer> chmod = Optional.empty();
                if (instruction.flag("chmod") != null) {
                    if (!instruction.flag("chmod").matches("[0-7]{3,4}")) {
                        return no(where + ": --chmod is not an octal mode");
                    }
                    if (sources.stream().anyMatch(Files::isDirectory)) {
                        return no(where + ": --chmod of a directory");
                    }
                    chmod = Optional.of(Integer.parseInt(instruction.flag("chmod"), 8));
                }
                List<CopyInstruction.CreatedDirectory> created = new ArrayList<>();
                boolean ownerIsRoot = owner[0] == 0 && owner[1] == 0;
                if (!ownerIsRoot || (!intoDirectory && !directorySource)) {
                    // Only here does buildah's result depend on what the image already has.
                    BaseTree tree = trees.tree(steps);
                    String path = LayerContent.relative(destination);
                    String[] parts = path.isEmpty() ? new String[0] : path.split("/");
                    String ancestor = "";
                    for (int i = 0; i < parts.length - 1; i++) {
                        ancestor = ancestor.isEmpty() ? parts[i] : ancestor + "/" + parts[i];
                        BaseTree.Kind kind = tree.kind(ancestor);
                        if (kind == BaseTree.Kind.SYMLINK || kind == BaseTree.Kind.OTHER) {
                            return no(where + ": /" + ancestor + " is a symbolic link or a file in the image");
                        }
                        if (kind == null && !ownerIsRoot) {
                            created.add(new CopyInstruction.CreatedDirectory(ancestor, owner[0], owner[1]));
                        }
                    }
                    BaseTree.Kind destinationKind = path.isEmpty() ? BaseTree.Kind.DIRECTORY : tree.kind(path);
                    if (destinationKind == BaseTree.Kind.SYMLINK) {
                        return no(where + ": " + destination + " is a symbolic link in the image");
                    }
                    if (!intoDirectory && !directorySource && destinationKind == BaseTree.Kind.DIRECTORY) {
                        intoDirectory = true;
                    }
                    if (intoDirectory && destinationKind == null && !ownerIsRoot) {
                        created.add(new CopyInstruction.CreatedDirectory(path, owner[0], owner[1]));
                    }
                }
                if (!pendingWorkdirs.isEmpty()) {
                    // buildah copies first, making the destination's directories as the COPY's owner, then
                    // makes what is still missing of the WORKDIRs since the last layer, owned by the USER of the time.
                    BaseTree tree = trees.tree(steps);
                    String path = LayerContent.relative(destination);
                    String[] parts = path.isEmpty() ? new String[0] : path.split("/");
                    String ancestor = "";
                    for (int i = 0; i < (intoDirectory || directorySource ? parts.length : parts.length - 1); i++) {
                        ancestor = ancestor.isEmpty() ? parts[i] : ancestor + "/" + parts[i];
                        if (tree.kind(ancestor) == null) {
                            tree.addDirectory(ancestor);
                        }
                    }
                    for (String[] pending : pendingWorkdirs) {
                        Optional<String> problem = workdirDirectories(pending[0], pending[1] == null ? tree.user() : pending[1],
                                tree, created);
                        if (problem.isPresent()) {
                            return no(where + ": " + problem.get());
                        }
                    }
                    pendingWorkdirs.clear();
                }
                steps.add(new AssemblyPlan.Step.Copy(new CopyInstruction(sources, destination, intoDirectory, created,
                        owner[0], owner[1], chmod, "/bin/sh -c #(nop) " + keyword + " "
                                + String.join(" ", expanded.subList(0, expanded.size() - 1)) + " in " + destination + " ")));
                continue;
            }
            if (!METADATA.contains(keyword)) {
                return no(where + " is not COPY, ADD or metadata");
            }
            if (!instruction.flags().isEmpty()) {
                return no(where + " has flags");
            }
            String createdBy = "/bin/sh -c #(nop) " + keyword + " " + instruction.value();
            switch (instruction.arguments()) {
                case Arguments.ArgDeclarations declarations -> {
                    for (ArgDeclaration d : declarations.declarations()) {
                        String value = buildArgs.get(d.name());
                        if (value == null && d.rawDefault() != null) {
                            value = lexer.processWord(d.rawDefault(), scope, instruction.startLine());
                        }
                        if (value == null) {
                            value = globals.get(d.name());
                        }
                        if (value != null && !envs.containsKey(d.name())) {
                            scope.put(d.name(), value);
                        }
                    }
                    steps.add(new AssemblyPlan.Step.Metadata(createdBy, new ConfigEdit.None()));
                }
                case Arguments.KeyValues pairs -> {
                    Map<String, String> values = new LinkedHashMap<>();
                    for (KeyValue pair : pairs.pairs()) {
                        values.put(lexer.processWord(pair.rawKey(), scope, instruction.startLine()),
                                lexer.processWord(pair.rawValue(), scope, instruction.startLine()));
                    }
                    if (keyword.equals("ENV")) {
                        envs.putAll(values);
                        scope.putAll(values);
                        steps.add(new AssemblyPlan.Step.Metadata(createdBy, new ConfigEdit.Env(values)));
                    } else {
                        steps.add(new AssemblyPlan.Step.Metadata(createdBy, new ConfigEdit.Labels(values)));
                    }
                }
                case Arguments.Text text -> {
                    String value = lexer.processWord(text.text(), scope, instruction.startLine());
                    ConfigEdit edit = switch (keyword) {
                        case "WORKDIR" -> {
                            workdir = value.startsWith("/") ? value : (workdir.endsWith("/") ? workdir : workdir + "/") + value;
                            pendingWorkdirs.add(new String[] {workdir, user});
                            yield new ConfigEdit.WorkingDir(workdir);
                        }
                        case "USER" -> {
                            user = value;
                            yield new ConfigEdit.User(value);
                        }
                        case "STOPSIGNAL" -> new ConfigEdit.StopSignal(value);
                        default -> null;
                    };
                    if (edit == null) {
                        return no(where + " is not supported");
                    }
                    steps.add(new AssemblyPlan.Step.Metadata(createdBy, edit));
                }
                case Arguments.Words words when keyword.equals("EXPOSE") -> {
                    List<String> ports = new ArrayList<>();
                    for (String word : words.words()) {
                        String port = lexer.processWord(word, scope, instruction.startLine());
                        ports.add(port.contains("/") ? port : port + "/tcp");
                    }
                    steps.add(new AssemblyPlan.Step.Metadata(createdBy, new ConfigEdit.Expose(ports)));
                }
                case Arguments.ExecForm exec -> steps.add(new AssemblyPlan.Step.Metadata(createdBy,
                        command(keyword, exec.args())));
                case Arguments.ShellForm shell -> steps.add(new AssemblyPlan.Step.Metadata(createdBy,
                        command(keyword, List.of("/bin/sh", "-c", shell.command()))));
                default -> {
                    return no(where + " has a form Strata does not assemble");
                }
            }
        }
        if (base == null) {
            return no("the Dockerfile has no FROM");
        }
        if (steps.stream().noneMatch(AssemblyPlan.Step.Copy.class::isInstance)) {
            return no("the stage copies nothing: buildah only adds metadata, which costs it little");
        }
        return new Assessment.Assemblable(new AssemblyPlan(base.equals("scratch") ? Optional.empty() : Optional.of(base),
                steps));
    }

    /**
     * Adds the directories of {@code workdir} the image lacks to {@code created}, owned by
     * {@code user} (numeric user:group, or root), and to {@code tree}; a problem when a component
     * is a link or a file, or the user is a name or lacks a group (only /etc/passwd knows them).
     */
    private static Optional<String> workdirDirectories(String workdir, String user, BaseTree tree,
            List<CopyInstruction.CreatedDirectory> created) {
        String path = LayerContent.relative(workdir);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        String ancestor = "";
        for (String part : path.split("/")) {
            ancestor = ancestor.isEmpty() ? part : ancestor + "/" + part;
            BaseTree.Kind kind = tree.kind(ancestor);
            if (kind == BaseTree.Kind.SYMLINK || kind == BaseTree.Kind.OTHER) {
                return Optional.of("WORKDIR " + workdir + " passes /" + ancestor + ", a symbolic link or file of the image");
            }
            if (kind == null) {
                int[] owner = userOwner(user);
                if (owner == null) {
                    return Optional.of("WORKDIR " + workdir + " is made for USER " + user
                            + ", whose numeric user and group only the base image's /etc/passwd knows");
                }
                created.add(new CopyInstruction.CreatedDirectory(ancestor, owner[0], owner[1]));
                tree.addDirectory(ancestor);
            }
        }
        return Optional.empty();
    }

    /** uid and gid of a USER value that needs no /etc/passwd: none, root, 0, or numeric user:group. */
    private static int[] userOwner(String user) {
        if (user.isEmpty() || user.equals("root") || user.equals("0") || user.equals("0:0") || user.equals("root:root")) {
            return new int[] {0, 0};
        }
        String[] parts = user.split(":", -1);
        if (parts.length == 2 && parts[0].matches("[0-9]{1,9}") && parts[1].matches("[0-9]{1,9}")) {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        }
        return null;
    }

    private static ConfigEdit command(String keyword, List<String> args) {
        return keyword.equals("CMD") ? new ConfigEdit.Cmd(args) : new ConfigEdit.Entrypoint(args);
    }

    private static Optional<String> copyFlagsRefused(Instruction instruction) {
        for (Flag flag : instruction.flags()) {
            if (!flag.name().equals("chown") && !flag.name().equals("chmod")) {
                return Optional.of("--" + flag.name() + " is not assembled");
            }
        }
        return Optional.empty();
    }

    /**
     * Numeric uid and gid of --chown (0:0 without it); null for names, and for a user without a
     * group, whose group buildah looks up in the base image's /etc/passwd.
     */
    private static int[] owner(String chown, Map<String, String> scope, ShellLexer lexer, int line) throws DockerfileException {
        if (chown == null) {
            return new int[] {0, 0};
        }
        String value = lexer.processWord(chown, scope, line);
        String[] parts = value.split(":", -1);
        if (parts.length != 2 || !parts[0].matches("[0-9]{1,9}") || !parts[1].matches("[0-9]{1,9}")) {
            return null;
        }
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    /** Adds what {@code source} names to {@code sources}; a problem that sends the build to buildah otherwise. */
    private static Optional<String> resolveSource(String keyword, String source, Path contextDir, List<Path> sources)
            throws IOException {
        if (source.contains("://") || source.startsWith("git@")) {
            return Optional.of(source + " is not a file of the context");
        }
        Path root = contextDir.toRealPath();
        String relative = source.replaceAll("^/+", "");
        int lastSlash = relative.lastIndexOf('/');
        String directoryPart = lastSlash < 0 ? "" : relative.substring(0, lastSlash);
        String namePart = relative.substring(lastSlash + 1);
        if (directoryPart.matches(".*[*?\\[].*")) {
            return Optional.of(source + " has a wildcard in a directory name");
        }
        List<Path> matched = new ArrayList<>();
        Path directory = root.resolve(directoryPart).normalize();
        if (namePart.matches(".*[*?\\[].*")) {
            if (Files.isDirectory(directory)) {
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, namePart)) {
                    stream.forEach(matched::add);
                }
            }
            matched.sort(null);
        } else {
            matched.add(namePart.isEmpty() || namePart.equals(".") ? directory : directory.resolve(namePart).normalize());
        }
        if (matched.isEmpty()) {
            return Optional.of(source + " matches no file");
        }
        for (Path path : matched) {
            if (!Files.exists(path)) {
                return Optional.of(source + " does not exist in the context");
            }
            Path real = path.toRealPath();
            if (!real.startsWith(root)) {
                return Optional.of(source + " leads outside the context");
            }
            if (keyword.equals("ADD") && Files.isRegularFile(real) && isArchive(real)) {
                return Optional.of(source + " is an archive, which ADD unpacks");
            }
            sources.add(real);
        }
        return Optional.empty();
    }

    /** tar, gzip, bzip2 or xz by their first bytes, as ADD recognises archives by content. */
    private static boolean isArchive(Path file) throws IOException {
        byte[] head = new byte[262];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        }
        boolean gzip = read >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        boolean bzip2 = read >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h';
        boolean xz = read >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X';
        boolean tar = read >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a'
                && head[261] == 'r';
        return gzip || bzip2 || xz || tar;
    }

    private static Assessment no(String reason) {
        return new Assessment.NotAssemblable(reason);
    }
}
