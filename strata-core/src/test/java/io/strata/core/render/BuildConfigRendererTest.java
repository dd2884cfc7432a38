package io.strata.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.config.Configuration;
import io.strata.core.request.BuildRequest;
import io.strata.core.request.InvalidBuildRequestException;
import io.strata.core.render.wire.BuildConfigWire;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BuildConfigRendererTest {
    /** The moment the seed's BuildConfig was created. */
    private static final Clock SEED_CLOCK = Clock.fixed(Instant.parse("2018-04-25T18:29:51Z"), ZoneOffset.UTC);
    /**
     * A random source whose first int is 22571: the renderer maps it to 10000 + 22571 = 32571, the
     * number in the seed's image tag. (RandomGenerator's nextInt() is the high half of nextLong().)
     */
    private static final RandomGenerator SEED_RANDOM = () -> 22571L << 32;

    /** What osbs-client read from the seed's Dockerfile. */
    private static final DockerfileFacts SEED_DOCKERFILE =
            new DockerfileFacts(Optional.of("fedora:latest"), Optional.of("lucarval/docker-hello-world"));

    private final Configuration config = TestConfigs.seedConfig();
    private final BuildConfigRenderer renderer = new BuildConfigRenderer(SEED_CLOCK, SEED_RANDOM);

    @Test
    void rendersTheSeedBuildConfigAsJson() throws Exception {
        RenderedBuildConfig rendered = renderer.render(TestConfigs.seedRequest(), config, SEED_DOCKERFILE);

        Golden.assertMatches("seed-buildconfig.json", WireFormat.JSON.write(rendered.buildConfig()));
    }

    @Test
    void rendersTheSeedBuildConfigAsYaml() throws Exception {
        RenderedBuildConfig rendered = renderer.render(TestConfigs.seedRequest(), config, SEED_DOCKERFILE);

        Golden.assertMatches("seed-buildconfig.yaml", WireFormat.YAML.write(rendered.buildConfig()));
    }

    @Test
    void userParamsMatchTheSeedByteForByte() throws Exception {
        RenderedBuildConfig rendered = renderer.render(TestConfigs.seedRequest(), config, SEED_DOCKERFILE);

        // Copied from the seed's USER_PARAMS value (the YAML folding joined back into one line).
        assertThat(rendered.userParams().toJson()).isEqualTo("{\"arrangement_version\": 6, \"base_image\": \"fedora:latest\", "
                + "\"build_image\": \"local_buildroot:latest\", \"build_json_dir\": \"/usr/share/osbs/\", \"build_type\": "
                + "\"orchestrator\", \"component\": \"docker-hello-world\", \"customize_conf\": \"orchestrator_customize.json\", "
                + "\"git_branch\": \"osbs-box-demo\", \"git_ref\": \"origin/osbs-box-demo\", \"git_uri\": "
                + "\"git://github.com/sosiouxme/docker-hello-world\", \"image_tag\": \"kojiadmin/docker-hello-world:candidate-32571-20180425182951\", "
                + "\"imagestream_name\": \"lucarval-docker-hello-world\", \"koji_target\": \"candidate\", "
                + "\"koji_task_id\": 6, "
                + "\"name\": \"docker-hello-world-osbs-box-demo-f7644\", \"platforms\": "
                + "[\"x86_64\"], \"reactor_config_map\": \"reactor-config-map\", \"trigger_imagestreamtag\": "
                + "\"fedora:latest\", \"user\": \"kojiadmin\"}");
    }

    @Test
    void secretsFromTheConfigurationNeverReachTheOutput() throws Exception {
        Configuration withSecrets = TestConfigs.seedConfigWith("password", "pw-Xq7");
        withSecrets = TestConfigs.seedConfigWith("token", "tok-Zr9");

        for (Configuration secretive : new Configuration[] {TestConfigs.seedConfigWith("password", "pw-Xq7"), withSecrets}) {
            RenderedBuildConfig rendered = renderer.render(TestConfigs.seedRequest(), secretive, DockerfileFacts.unknown());
            for (WireFormat format : WireFormat.values()) {
                assertThat(format.write(rendered.buildConfig())).doesNotContain("pw-Xq7").doesNotContain("tok-Zr9");
            }
        }
    }

    @Test
    void scratchBuildsAreLabelledAndUseTheScratchNodeSelector() throws Exception {
        Configuration scratchConfig = TestConfigs.seedConfigWith("scratch_build_node_selector", "builds=scratch, zone=a");
        BuildRequest scratch = TestConfigs.seedRequest().toBuilder().scratch(true).build();

        BuildConfigWire bc = renderer.render(scratch, scratchConfig, DockerfileFacts.unknown()).buildConfig();

        assertThat(bc.metadata().labels()).containsEntry("scratch", "true").containsEntry("is_autorebuild", "false");
        assertThat(bc.spec().nodeSelector()).containsExactly(Map.entry("builds", "scratch"), Map.entry("zone", "a"));
    }

    @Test
    void isolatedBuildsCarryTheirRelease() throws Exception {
        BuildRequest isolated = TestConfigs.seedRequest().toBuilder().isolated(true).release("3.1").build();

        RenderedBuildConfig rendered = renderer.render(isolated, config, DockerfileFacts.unknown());

        assertThat(rendered.buildConfig().metadata().labels())
                .containsEntry("isolated", "true").containsEntry("isolated-release", "3.1");
        assertThat(rendered.userParams().isolated()).isTrue();
        assertThat(rendered.userParams().release()).isEqualTo("3.1");
    }

    @Test
    void aSeededRandomSourceGivesTheSameTagEveryTime() throws Exception {
        String first = new BuildConfigRenderer(SEED_CLOCK, new Random(42)).render(TestConfigs.seedRequest(), config,
                DockerfileFacts.unknown()).userParams().imageTag();
        String second = new BuildConfigRenderer(SEED_CLOCK, new Random(42)).render(TestConfigs.seedRequest(), config,
                DockerfileFacts.unknown()).userParams().imageTag();

        assertThat(first).isEqualTo(second).matches("kojiadmin/docker-hello-world:candidate-[1-9]\\d{4}-20180425182951");
    }

    @Test
    void refusesAnInvalidRequestWithItsReasonCode() {
        BuildRequest noRef = TestConfigs.seedRequest().toBuilder().gitRef(null).build();

        assertThatThrownBy(() -> renderer.render(noRef, config, DockerfileFacts.unknown()))
                .isInstanceOf(InvalidBuildRequestException.class)
                .hasMessage("invalid build request: git_ref: no git ref given")
                .extracting(e -> ((InvalidBuildRequestException) e).reason()).isEqualTo("MISSING_GIT_REF");
    }
}
