package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.dockerfile.Arguments.ExecForm;
import io.strata.dockerfile.Arguments.ShellForm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectivesTest {

    @Test
    void escapeDirectiveChangesContinuationAndEscaping() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir c:\\ `\n  /s\n"
                + "ENV P=c:\\path\\to Q=a`\"b\n");

        assertThat(d.escapeCharacter()).isEqualTo('`');
        assertThat(d.directives()).isEqualTo(Map.of("escape", "`"));
        assertThat(d.instructions().get(1).arguments()).isEqualTo(new ShellForm("dir c:\\   /s"));
        assertThat(d.envs()).containsExactly(Map.entry("P", "c:\\path\\to"), Map.entry("Q", "a\"b"));
    }

    @Test
    void escapeDirectiveAfterACommentIsOnlyAComment() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("# a comment\n# escape=`\nFROM a\nRUN x \\\n y\n");

        assertThat(d.escapeCharacter()).isEqualTo('\\');
        assertThat(d.directives()).isEmpty();
        assertThat(d.instructions().get(1).value()).isEqualTo("x  y");
    }

    @Test
    void syntaxAndEscapeTogether() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("# syntax=docker/dockerfile:1.7\n#escape=\\\nFROM a\n");

        assertThat(d.directives()).containsExactly(Map.entry("syntax", "docker/dockerfile:1.7"),
                Map.entry("escape", "\\"));
    }

    @Test
    void backtickEscapeDoesNotContinueOnBackslash() throws DockerfileException {
        Dockerfile d = Dockerfile.parse("# escape=`\nFROM a\nRUN [\"cmd\", \"/c\", \"dir\"]\nRUN echo \\\nUSER x\n");

        assertThat(d.instructions()).extracting(Instruction::keyword).containsExactly("FROM", "RUN", "RUN", "USER");
        assertThat(d.instructions().get(1).arguments()).isEqualTo(new ExecForm(List.of("cmd", "/c", "dir")));
    }
}
