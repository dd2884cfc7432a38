package io.strata.testkit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The environment of a process a test starts, built from scratch: only what a JVM, git and buildah
 * need to run (PATH, locale, time zone, JAVA_HOME) is taken from the parent, HOME is the test's own
 * directory, and nothing that configures Strata or reaches the user's clusters and registries
 * ({@code STRATA_*}, {@code KUBECONFIG}, {@code REGISTRY_AUTH_FILE}, {@code XDG_*}) is inherited.
 * A test that wants one of those sets it with {@link #with}; {@link #processBuilder} refuses any
 * other that got in, so a leak fails the test instead of touching the user's store.
 */
public final class ChildEnvironment {
    /** What a child may inherit: the means to run programs, nothing that says where Strata keeps things. */
    static final Set<String> INHERITED = Set.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "JAVA_HOME", "USER", "LOGNAME");

    private final Map<String, String> variables;
    private final Set<String> chosen;

    private ChildEnvironment(Map<String, String> variables, Set<String> chosen) {
        this.variables = variables;
        this.chosen = chosen;
    }

    /** This test JVM's environment, cleaned, with {@code home} as HOME. */
    public static ChildEnvironment of(Path home) {
        return from(System.getenv(), home);
    }

    /** {@code parent} cleaned, with {@code home} as HOME; a test passes a parent with decoys to prove the cleaning. */
    public static ChildEnvironment from(Map<String, String> parent, Path home) {
        Map<String, String> kept = new TreeMap<>();
        parent.forEach((name, value) -> {
            if (INHERITED.contains(name)) {
                kept.put(name, value);
            }
        });
        kept.put("HOME", home.toAbsolutePath().toString());
        return new ChildEnvironment(kept, Set.of());
    }

    /** Adds a variable the test means to give the child, {@code STRATA_*} included. */
    public ChildEnvironment with(String name, String value) {
        Map<String, String> more = new TreeMap<>(variables);
        more.put(name, value);
        Set<String> names = new TreeSet<>(chosen);
        names.add(name);
        return new ChildEnvironment(more, names);
    }

    public Map<String, String> variables() {
        return Map.copyOf(variables);
    }

    /** A process builder whose environment is exactly this one (the JVM's own is cleared first). */
    public ProcessBuilder processBuilder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(variables);
        requireClean(builder.environment(), chosen);
        return builder;
    }

    /**
     * Fails when {@code environment} holds a variable that configures Strata or reaches the user's
     * things and the test did not choose it.
     */
    public static void requireClean(Map<String, String> environment, Set<String> chosen) {
        List<String> leaked = environment.keySet().stream()
                .filter(name -> !chosen.contains(name))
                .filter(ChildEnvironment::reachesTheUser)
                .sorted().toList();
        if (!leaked.isEmpty()) {
            throw new IllegalStateException("the environment of a process started by a test holds " + leaked
                    + " from outside the test: it would read or change the user's own Strata state; build the"
                    + " environment with ChildEnvironment and set what the test needs with with(name, value)");
        }
    }

    static boolean reachesTheUser(String name) {
        return name.startsWith("STRATA_") || name.startsWith("XDG_") || name.equals("KUBECONFIG")
                || name.equals("REGISTRY_AUTH_FILE") || name.equals("DOCKER_CONFIG") || name.equals("CONTAINERS_STORAGE_CONF");
    }
}
