package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.dockerfile.Arguments.ArgDeclarations;
import io.strata.dockerfile.Arguments.ExecForm;
import io.strata.dockerfile.Arguments.FromImage;
import io.strata.dockerfile.Arguments.HealthcheckCmd;
import io.strata.dockerfile.Arguments.HealthcheckNone;
import io.strata.dockerfile.Arguments.KeyValues;
import io.strata.dockerfile.Arguments.OnBuild;
import io.strata.dockerfile.Arguments.ShellForm;
import io.strata.dockerfile.Arguments.Text;
import io.strata.dockerfile.Arguments.Words;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each line is parsed as the second instruction after {@code FROM base}. */
class ArgumentsParsingTest {

    record Case(String line, Arguments expected, List<Flag> flags) {
        Case(String line, Arguments expected) {
            this(line, expected, List.of());
        }

        @Override
        public String toString() {
            return line;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("RUN [\"echo\", \"a b\"]", new ExecForm(List.of("echo", "a b"))),
                new Case("CMD []", new ExecForm(List.of())),
                // Go's json.Unmarshal refuses text after the value, so BuildKit reads this as shell form.
                new Case("CMD [\"a\"] trailing text", new ShellForm("[\"a\"] trailing text")),
                new Case("CMD [\"a\"] [1]", new ShellForm("[\"a\"] [1]")),
                new Case("CMD [ \"a\" ]  ", new ExecForm(List.of("a"))),
                new Case("CMD [\"unterminated\"", new ShellForm("[\"unterminated\"")),
                new Case("ENTRYPOINT ['single', 'quotes']", new ShellForm("['single', 'quotes']")),
                new Case("RUN [\"\\u00e9\\n\"]", new ExecForm(List.of("\u00e9\n"))),
                new Case("RUN echo \"$HOME\"", new ShellForm("echo \"$HOME\"")),
                new Case("SHELL [\"/bin/bash\", \"-c\"]", new ExecForm(List.of("/bin/bash", "-c"))),
                new Case("ENV A=1 B=\"two words\" C='x y'", new KeyValues(List.of(new KeyValue("A", "1"),
                        new KeyValue("B", "\"two words\""), new KeyValue("C", "'x y'")), false)),
                new Case("ENV LEGACY value with  spaces", new KeyValues(
                        List.of(new KeyValue("LEGACY", "value with  spaces")), true)),
                new Case("LABEL \"com.example.key\"=v", new KeyValues(
                        List.of(new KeyValue("\"com.example.key\"", "v")), false)),
                new Case("LABEL a=b\\ c", new KeyValues(List.of(new KeyValue("a", "b\\ c")), false)),
                new Case("ARG A", new ArgDeclarations(List.of(new ArgDeclaration("A", null)))),
                new Case("ARG A=1 B=\"x y\" C=", new ArgDeclarations(List.of(new ArgDeclaration("A", "1"),
                        new ArgDeclaration("B", "\"x y\""), new ArgDeclaration("C", "")))),
                new Case("FROM --platform=$BUILDPLATFORM golang:1.22 AS Build",
                        new FromImage("golang:1.22", "build"), List.of(new Flag("platform", "$BUILDPLATFORM"))),
                new Case("COPY --from=build --chmod=755 /out/app /usr/bin/", new Words(List.of("/out/app", "/usr/bin/"), false),
                        List.of(new Flag("from", "build"), new Flag("chmod", "755"))),
                new Case("COPY --link [\"a b\", \"/c/\"]", new Words(List.of("a b", "/c/"), true),
                        List.of(new Flag("link", null))),
                new Case("ADD --checksum=\"sha256:abc\" https://x/y /z", new Words(List.of("https://x/y", "/z"), false),
                        List.of(new Flag("checksum", "sha256:abc"))),
                new Case("RUN --mount=type=cache,target=/root/.cache --network=none make",
                        new ShellForm("make"), List.of(new Flag("mount", "type=cache,target=/root/.cache"),
                                new Flag("network", "none"))),
                new Case("VOLUME /data /logs", new Words(List.of("/data", "/logs"), false)),
                new Case("VOLUME [\"/data\"]", new Words(List.of("/data"), true)),
                new Case("EXPOSE 80/tcp 443", new Words(List.of("80/tcp", "443"), false)),
                new Case("USER 1001:0", new Text("1001:0")),
                new Case("WORKDIR /opt/app dir", new Text("/opt/app dir")),
                new Case("STOPSIGNAL SIGTERM", new Text("SIGTERM")),
                new Case("MAINTAINER Jane <jane@example.com>", new Text("Jane <jane@example.com>")),
                new Case("HEALTHCHECK NONE", new HealthcheckNone()),
                new Case("healthcheck none", new HealthcheckNone()),
                new Case("HEALTHCHECK --interval=5m --timeout=3s CMD curl -f http://localhost/ || exit 1",
                        new HealthcheckCmd(new ShellForm("curl -f http://localhost/ || exit 1")),
                        List.of(new Flag("interval", "5m"), new Flag("timeout", "3s"))),
                new Case("HEALTHCHECK CMD [\"/bin/check\", \"--quick\"]",
                        new HealthcheckCmd(new ExecForm(List.of("/bin/check", "--quick")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parsesArguments(Case c) throws DockerfileException {
        Instruction instruction = Dockerfile.parse("FROM base\n" + c.line() + "\n").instructions().get(1);

        assertThat(instruction.arguments()).isEqualTo(c.expected());
        assertThat(instruction.flags()).isEqualTo(c.flags());
    }

    @org.junit.jupiter.api.Test
    void onbuildWrapsItsTrigger() throws DockerfileException {
        Instruction onbuild = Dockerfile.parse("FROM base\nONBUILD COPY --from=x . /src\n").instructions().get(1);

        assertThat(onbuild.keyword()).isEqualTo("ONBUILD");
        Instruction trigger = ((OnBuild) onbuild.arguments()).trigger();
        assertThat(trigger.keyword()).isEqualTo("COPY");
        assertThat(trigger.value()).isEqualTo("--from=x . /src");
        assertThat(trigger.flag("from")).isEqualTo("x");
        assertThat(trigger.arguments()).isEqualTo(new Words(List.of(".", "/src"), false));
    }
}
