package io.strata.kube.streams;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of a group's {@code group.yml} that the streams generator reads. group.yml carries many
 * more keys used by other tools, so unknown keys are ignored on purpose.
 *
 * @param source where it was read from, for messages
 * @param name  the group name, e.g. {@code openshift-4.6}; labels every generated object
 * @param vars  substitution variables; MAJOR and MINOR pick the CI mirror service
 * @param repos RPM repositories by name, in file order (the localdev lines follow it)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GroupConfig(Path source, String name, Map<String, String> vars, Map<String, Repo> repos) {

    public GroupConfig {
        Objects.requireNonNull(source, "source");
        vars = ordered(vars);
        repos = ordered(repos);
    }

    /** How Jackson builds it; the reader then records the file with {@link #withSource(Path)}. */
    @JsonCreator
    GroupConfig(@JsonProperty("name") String name, @JsonProperty("vars") Map<String, String> vars,
            @JsonProperty("repos") Map<String, Repo> repos) {
        this(Path.of("group.yml"), name, vars, repos);
    }

    public GroupConfig withSource(Path file) {
        return new GroupConfig(file, name, vars, repos);
    }

    public Optional<String> var(String key) {
        return Optional.ofNullable(vars.get(key));
    }

    /** One entry of {@code repos}: only its {@code conf} matters here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Repo(RepoConf conf) {
        public Repo {
            conf = conf == null ? new RepoConf(null, null) : conf;
        }
    }

    /** A repository's {@code conf}: where it lives and how CI uses it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RepoConf(Baseurl baseurl, @JsonProperty("ci_alignment") CiAlignment ciAlignment) {
        public RepoConf {
            baseurl = baseurl == null ? new Baseurl(Map.of(), Map.of()) : baseurl;
            ciAlignment = ciAlignment == null ? new CiAlignment(null, null) : ciAlignment;
        }
    }

    /** Which CI profiles (el7, el8) a repository serves, and whether developers get it for local builds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CiAlignment(Localdev localdev, List<String> profiles) {
        public CiAlignment {
            localdev = localdev == null ? new Localdev(false) : localdev;
            profiles = profiles == null ? List.of() : List.copyOf(profiles);
        }

        public boolean localdevFor(String profile) {
            return localdev.enabled() && profiles.contains(profile);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Localdev(boolean enabled) {}

    /**
     * A repository's base URLs by architecture. In group.yml the signed URLs sit directly under
     * {@code baseurl} and the unsigned ones (preferred when present, as doozer does) under
     * {@code baseurl.unsigned}.
     */
    public record Baseurl(Map<String, String> signed, Map<String, String> unsigned) {
        public Baseurl {
            signed = ordered(signed);
            unsigned = ordered(unsigned);
        }

        @JsonCreator
        static Baseurl fromYaml(Map<String, Object> entries) {
            Map<String, String> signed = new LinkedHashMap<>();
            Map<String, String> unsigned = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : entries.entrySet()) {
                if (entry.getKey().equals("unsigned")) {
                    if (!(entry.getValue() instanceof Map<?, ?> urls)) {
                        throw new IllegalArgumentException("baseurl.unsigned must map architectures to URLs");
                    }
                    urls.forEach((arch, url) -> unsigned.put(String.valueOf(arch), String.valueOf(url)));
                } else if (entry.getValue() != null) {
                    signed.put(entry.getKey(), String.valueOf(entry.getValue()));
                }
            }
            return new Baseurl(signed, unsigned);
        }

        /**
         * The URL for an architecture: the unsigned one when the repository has an unsigned section
         * (doozer then ignores the signed URL entirely), the signed one otherwise.
         */
        public Optional<String> forArch(String arch) {
            Map<String, String> chosen = unsigned.isEmpty() ? signed : unsigned;
            return Optional.ofNullable(chosen.get(arch)).filter(url -> !url.isBlank());
        }
    }

    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
