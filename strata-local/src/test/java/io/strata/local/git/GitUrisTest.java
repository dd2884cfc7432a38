package io.strata.local.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GitUrisTest {
    @ParameterizedTest
    @CsvSource({
        "https://user:tok3n@git.example.com/team/app.git, https://git.example.com/team/app.git",
        "https://git.example.com:8443/app.git,              https://git.example.com:8443/app.git",
        "file:///srv/git/app.git,                           file:///srv/git/app.git",
        "ssh://git@git.example.com/app.git,                 ssh://git.example.com/app.git",
    })
    void displayFormHasNoUserInfo(String uri, String expected) {
        assertThat(GitUris.forDisplay(URI.create(uri))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "https://user:tok3n@git.example.com/app.git: not authorized, https://git.example.com/app.git: not authorized",
        "remote said user:tok3n is wrong,                              remote said **** is wrong",
        "nothing secret here,                                         nothing secret here",
    })
    void scrubRemovesTheUserInfoFromMessages(String message, String expected) {
        URI uri = URI.create("https://user:tok3n@git.example.com/app.git");

        assertThat(GitUris.scrub(message, uri)).isEqualTo(expected);
    }
}
