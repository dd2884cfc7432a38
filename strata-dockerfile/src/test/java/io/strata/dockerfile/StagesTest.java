package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.dockerfile.Arguments.ExecForm;
import io.strata.dockerfile.Arguments.ShellForm;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StagesTest {
    private static final String MULTI = """
            ARG BASE=registry.example.com/ubi9
            ARG TAG="9.4"
            FROM --platform=linux/amd64 ${BASE}:${TAG} AS Builder
            ARG TAG
            ENV GOPATH=/go
            LABEL stage=build
            RUN make
            FROM builder AS test
            RUN make test
            FROM scratch
            COPY --from=builder /out /
            """;

    @Test
    void stagesParentImagesAndBaseImage() throws DockerfileException {
        Dockerfile d = Dockerfile.parse(MULTI);

        assertThat(d.stages()).containsExactly(
                new Stage(0, "registry.example.com/ubi9:9.4", "builder", "linux/amd64", false),
                new Stage(1, "builder", "test", null, true),
                new Stage(2, "scratch", null, null, false));
        assertThat(d.parentImages()).containsExactly("registry.example.com/ubi9:9.4", "builder", "scratch");
        assertThat(d.baseImage()).isEqualTo("scratch");
        assertThat(d.isMultiStage()).isTrue();
    }

    @Test
    void buildArgsOverrideArgsBeforeFrom() throws DockerfileException {
        Dockerfile d = Dockerfile.parse(MULTI);

        assertThat(d.stages(Map.of("TAG", "10")).get(0).image()).isEqualTo("registry.example.com/ubi9:10");
        StageView builder = d.stage(0, Map.of("TAG", "10"), true);
        assertThat(builder.image()).isEqualTo("registry.example.com/ubi9:10");
        assertThat(builder.args()).isEqualTo(Map.of("TAG", "10"));
    }

    @Test
    void perStageViews() throws DockerfileException {
        Dockerfile d = Dockerfile.parse(MULTI);

        StageView builder = d.stage(0, Map.of(), true);
        assertThat(builder.args()).isEqualTo(Map.of("TAG", "9.4"));
        assertThat(builder.envs()).isEqualTo(Map.of("GOPATH", "/go"));
        assertThat(builder.labels()).isEqualTo(Map.of("stage", "build"));
        assertThat(d.stage(1, Map.of(), true).labels()).isEmpty();
        assertThat(d.labels()).isEmpty();
        assertThat(d.args()).isEmpty();
    }

    @Test
    void argsAndEnvsScopedAndExpanded() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("""
                ARG VERSION=1.0
                FROM base
                ARG VERSION
                ARG USER=app
                ARG UNSET
                ENV HOME=/home/$USER V=v${VERSION} OLD=$HOME
                ENV HOME=/root
                ENV DEF=${UNSET:-default} DOLLAR=\\$HOME SINGLE='$HOME'
                LABEL version="$VERSION" "com.example.name"=${USER}-svc
                ENV USER=override
                LABEL who=$USER
                CMD ["run", "$USER"]
                ENTRYPOINT /bin/entry
                """);

        assertThat(d.args()).containsExactly(Map.entry("VERSION", "1.0"), Map.entry("USER", "app"),
                Map.entry("UNSET", ""));
        assertThat(d.envs()).containsExactly(Map.entry("HOME", "/root"), Map.entry("V", "v1.0"),
                Map.entry("OLD", ""), Map.entry("DEF", "default"), Map.entry("DOLLAR", "$HOME"),
                Map.entry("SINGLE", "$HOME"), Map.entry("USER", "override"));
        assertThat(d.labels()).containsExactly(Map.entry("version", "1.0"), Map.entry("com.example.name", "app-svc"),
                Map.entry("who", "override"));
        assertThat(d.cmd()).isEqualTo(Optional.of(new ExecForm(List.of("run", "$USER"))));
        assertThat(d.entrypoint()).isEqualTo(Optional.of(new ShellForm("/bin/entry")));

        StageView raw = d.stage(0, Map.of("USER", "bob"), false);
        assertThat(raw.envs().get("HOME")).isEqualTo("/root");
        assertThat(raw.envs().get("V")).isEqualTo("v${VERSION}");
        assertThat(raw.args().get("USER")).isEqualTo("bob");
        assertThat(d.stage(0, Map.of("USER", "bob"), true).labels().get("com.example.name")).isEqualTo("bob-svc");
    }

    @Test
    void argDefaultsExpandLikeBuildKit() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("FROM a\nARG A=1\nARG B=\"${A}-x\"\nENV C=$B\n");

        assertThat(d.args()).containsExactly(Map.entry("A", "1"), Map.entry("B", "1-x"));
        assertThat(d.envs()).containsExactly(Map.entry("C", "1-x"));
        assertThat(d.stage(0, Map.of(), false).args()).containsEntry("B", "${A}-x");
    }

    @Test
    void buildKitPlatformArgsAreGlobalWithoutDeclaration() throws DockerfileException {
        Map<String, String> amd64 = Dockerfile.platformArgs("linux", "amd64", null);
        Dockerfile d = Dockerfile.parse("FROM ${TARGETARCH}/alpine AS one\nARG TARGETPLATFORM\nLABEL p=$TARGETPLATFORM\n"
                + "FROM ${BUILDOS}-${TARGETVARIANT:-none}\n");

        assertThat(d.buildStages(Map.of(), amd64)).extracting(Stage::image).containsExactly("amd64/alpine", "linux-none");
        assertThat(d.buildStages(Map.of(), Dockerfile.platformArgs("linux", "arm64", "v8")))
                .extracting(Stage::image).containsExactly("arm64/alpine", "linux-v8");
        assertThat(amd64).containsEntry("TARGETPLATFORM", "linux/amd64").containsEntry("BUILDARCH", "amd64");
        // A default of a declared global ARG wins over the automatic value, as in BuildKit; a build arg over both.
        Dockerfile declared = Dockerfile.parse("ARG TARGETARCH=s390x\nFROM ${TARGETARCH}/alpine\n");
        assertThat(declared.buildStages(Map.of(), amd64).get(0).image()).isEqualTo("s390x/alpine");
        assertThat(declared.buildStages(Map.of("TARGETARCH", "ppc64le"), amd64).get(0).image()).isEqualTo("ppc64le/alpine");
        assertThat(Dockerfile.parse("ARG TARGETARCH\nFROM ${TARGETARCH}/alpine\n").buildStages(Map.of(), amd64).get(0).image())
                .isEqualTo("amd64/alpine");
    }

    @Test
    void legacyEnvFormKeepsWhitespaceInside() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("FROM a\nENV MSG hello   \"big\"  world\nLABEL  foo  \\\n    bar  \n");

        assertThat(d.envs()).isEqualTo(Map.of("MSG", "hello   big  world"));
        assertThat(d.labels()).isEqualTo(Map.of("foo", "bar"));
    }

    @Test
    void onbuildDoesNotCountAsTheStagesOwn() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("FROM a\nCMD one\nONBUILD CMD two\nONBUILD LABEL x=y\n");

        assertThat(d.cmd()).contains(new ShellForm("one"));
        assertThat(d.labels()).isEmpty();
    }

    @Test
    void singleStage() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("FROM fedora:40\n");

        assertThat(d.isMultiStage()).isFalse();
        assertThat(d.baseImage()).isEqualTo("fedora:40");
        assertThat(d.cmd()).isEmpty();
    }

    @Test
    void requiredVariableFailsWhenReadNotWhenParsed() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("FROM a\nARG REQ\nLABEL r=\"${REQ:?set REQ}\"\n");

        assertThat(d.stage(0, Map.of("REQ", "ok"), true).labels()).isEqualTo(Map.of("r", "ok"));
        UncheckedDockerfileException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                UncheckedDockerfileException.class, d::labels);
        assertThat(e.getCause().getMessage()).isEqualTo("REQ: set REQ");
        assertThat(e.getCause().line()).isEqualTo(3);
    }
}
