package io.strata.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.config.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UserParamsTest {

    private static UserParams full() {
        return new UserParams(6, "fedora:latest", Map.of("VERSION", "1.0"), "buildroot:latest", "/usr/share/osbs/",
                "orchestrator", "hello", "orchestrator_customize.json", "images/Dockerfile.rhel", "main", "abc123",
                "https://git.example/hello.git", "me/hello:none-12345-20260101000000", "hello", true, null, 9L,
                Map.of("name", "me/hello"), "hello-main-12345", List.of("x86_64", "aarch64"), "reactor", "1.2", false,
                "fedora:latest", "me", List.of("https://repos.example/a.repo"));
    }

    @Test
    void roundTripsThroughJson() throws Exception {
        UserParams params = full();

        assertThat(UserParams.fromJson(params.toJson())).isEqualTo(params);
    }

    @Test
    void randomParamsRoundTrip() throws Exception {
        Random random = new Random(7L);
        for (int i = 0; i < 100; i++) {
            UserParams params = new UserParams(1 + random.nextInt(9), random.nextBoolean() ? null : "base:" + random.nextInt(),
                    Map.of("A" + random.nextInt(100), "\"quoted\" \\ " + random.nextInt()), "img", "/dir", "worker",
                    "c" + random.nextInt(1000), "conf.json", random.nextBoolean() ? "Dockerfile" : "sub/Dockerfile",
                    "b", "r", "file:///repo", "tag", "stream", random.nextBoolean(), "t", random.nextBoolean() ? null : (long) random.nextInt(1000) + 1,
                    Map.of(), "name", List.of("p" + random.nextInt(3)), null, null, random.nextBoolean(), null, "u\u00e9", List.of());

            assertThat(UserParams.fromJson(params.toJson())).isEqualTo(params);
        }
    }

    @Test
    void defaultsAndFalseFlagsAreLeftOutLikeOsbsClientDid() {
        UserParams params = new UserParams(6, null, Map.of(), "b", "/d", "worker", "c", "w.json", null, "br", "ref",
                "git://h/r", "c:t", "c", false, null, null, Map.of(), "n", List.of("x86_64"), null, null, false, null, null, List.of());

        assertThat(params.toJson()).isEqualTo("{\"arrangement_version\": 6, \"build_image\": \"b\", \"build_json_dir\": \"/d\", "
                + "\"build_type\": \"worker\", \"component\": \"c\", \"customize_conf\": \"w.json\", \"git_branch\": \"br\", "
                + "\"git_ref\": \"ref\", \"git_uri\": \"git://h/r\", \"image_tag\": \"c:t\", \"imagestream_name\": \"c\", "
                + "\"name\": \"n\", \"platforms\": [\"x86_64\"]}");
        assertThat(params.dockerfilePath()).isEqualTo("Dockerfile");
    }

    @Test
    void unknownKeysAreRefused() {
        assertThatThrownBy(() -> UserParams.fromJson("{\"arrangement_version\": 6, \"flatpak\": true}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid configuration: USER_PARAMS:1:44: Unrecognized field \"flatpak\"");
    }
}
