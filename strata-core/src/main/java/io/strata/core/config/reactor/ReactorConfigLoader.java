package io.strata.core.config.reactor;

import io.strata.core.io.TextFiles;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.strata.core.config.ConfigException;
import io.strata.core.config.ConfigProblem;
import io.strata.core.config.doc.DocNode;
import io.strata.core.config.doc.DocReader;
import io.strata.core.config.doc.Schema;
import io.strata.core.config.doc.SchemaChecker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the reactor configuration (YAML) and checks it against {@link #SCHEMA}: unknown keys,
 * wrong types and missing required keys are all reported together with file:line:column. Only a
 * document that passes is bound to {@link ReactorConfig}.
 */
public final class ReactorConfigLoader {
    /** The only version of the document there is. */
    public static final int VERSION = 1;

    private static final Schema.Obj AUTH_PATHS = Schema.object()
            .optional("proxyuser", Schema.string())
            .optional("ssl_certs_dir", Schema.string())
            .optional("krb_principal", Schema.string())
            .optional("krb_keytab_path", Schema.string())
            .build();

    /** The schema, in code; docs/configuration.md mirrors it. */
    public static final Schema.Obj SCHEMA = Schema.object()
            .required("version", Schema.integer(VERSION, VERSION))
            .optional("clusters", Schema.mapOf(Schema.listOf(Schema.object()
                    .required("name", Schema.string())
                    .required("max_concurrent_builds", Schema.integer(0, 10_000))
                    .optional("enabled", Schema.bool())
                    .build())))
            .optional("koji", Schema.object()
                    .required("hub_url", Schema.string())
                    .required("root_url", Schema.string())
                    .optional("auth", AUTH_PATHS)
                    .build())
            .optional("openshift", Schema.object()
                    .required("url", Schema.string())
                    .optional("insecure", Schema.bool())
                    .optional("build_json_dir", Schema.string())
                    .build())
            .optional("source_registry", Schema.object()
                    .required("url", Schema.string())
                    .optional("insecure", Schema.bool())
                    .build())
            .optional("registries", Schema.listOf(Schema.object()
                    .required("url", Schema.string())
                    .optional("insecure", Schema.bool())
                    .optional("auth", Schema.object().required("cfg_path", Schema.string()).build())
                    .optional("expected_media_types", Schema.listOf(Schema.string()))
                    .build()))
            .optional("platform_descriptors", Schema.listOf(Schema.object()
                    .required("platform", Schema.string())
                    .required("architecture", Schema.string())
                    .optional("enable_v1", Schema.bool())
                    .build()))
            .optional("required_labels", Schema.listOf(Schema.string()))
            .optional("image_labels", Schema.mapOf(Schema.string()))
            .optional("image_equal_labels", Schema.listOf(Schema.listOf(Schema.string())))
            .optional("default_image_build_method", Schema.oneOf("buildah_bud", "imagebuilder", "docker_api"))
            .optional("build_image_override", Schema.mapOf(Schema.string()))
            .optional("content_versions", Schema.listOf(Schema.oneOf("v1", "v2", "oci")))
            .optional("image_label_info_url_format", Schema.string())
            .build();

    private static final ObjectMapper BINDER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ReactorConfigLoader() {}

    public static ReactorConfig load(Path file) throws ConfigException {
        try {
            return parse(file.toString(), TextFiles.readUtf8(file));
        } catch (TextFiles.UnreadableTextException e) {
            throw new ConfigException(new ConfigProblem(file.toString(), 0, "the reactor configuration " + e.problem(), e.fix()));
        }
    }

    /** Parses and checks {@code yaml}; {@code origin} names it in messages. */
    public static ReactorConfig parse(String origin, String yaml) throws ConfigException {
        DocNode root = DocReader.readYaml(origin, yaml);
        List<ConfigProblem> problems = new ArrayList<>(SchemaChecker.check(origin, root, SCHEMA));
        if (problems.isEmpty()) {
            checkUniquePlatforms(origin, (DocNode.Mapping) root, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return BINDER.convertValue(root.toPlain(), ReactorConfig.class);
    }

    private static void checkUniquePlatforms(String origin, DocNode.Mapping root, List<ConfigProblem> problems) {
        Map<String, Integer> seen = new HashMap<>();
        root.get("platform_descriptors").ifPresent(list -> ((DocNode.Sequence) list).items().forEach(item -> {
            DocNode platform = ((DocNode.Mapping) item).get("platform").orElseThrow();
            String name = ((DocNode.Scalar) platform).text();
            Integer earlier = seen.putIfAbsent(name, platform.position().line());
            if (earlier != null) {
                problems.add(new ConfigProblem(origin, platform.position().line(), platform.position().column(),
                        "platform_descriptors: '" + name + "' is described again (first at line " + earlier + ")",
                        "keep one descriptor per platform"));
            }
        }));
    }
}
