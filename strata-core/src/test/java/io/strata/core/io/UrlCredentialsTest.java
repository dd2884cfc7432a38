package io.strata.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlCredentialsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // store URLs
        "jdbc:postgresql://db.example.com:5432/strata?user=strata&password=hunter2 | jdbc:postgresql://db.example.com:5432/strata?user=strata&password=****",
        "jdbc:postgresql://db/strata?password=hunter2&ssl=true                      | jdbc:postgresql://db/strata?password=****&ssl=true",
        "jdbc:postgresql://db/strata?sslpassword=hunter2                            | jdbc:postgresql://db/strata?sslpassword=****",
        "jdbc:postgresql://db/strata?Password=hunter2                               | jdbc:postgresql://db/strata?Password=****",
        "jdbc:postgresql://strata:hunter2@db/strata                                 | jdbc:postgresql://strata:****@db/strata",
        "jdbc:h2:file:/srv/strata/store/strata;AUTO_SERVER=TRUE;PASSWORD=hunter2    | jdbc:h2:file:/srv/strata/store/strata;AUTO_SERVER=TRUE;PASSWORD=****",
        "jdbc:h2:file:/srv/strata/store/strata;AUTO_SERVER=TRUE                     | jdbc:h2:file:/srv/strata/store/strata;AUTO_SERVER=TRUE",
        "jdbc:postgresql://db:5432/strata                                           | jdbc:postgresql://db:5432/strata",
        // user info
        "https://builder:ghp_s3cret@git.example/team/c.git                          | https://builder:****@git.example/team/c.git",
        "https://ghp_s3cret@github.com/team/c.git                                   | https://****@github.com/team/c.git",
        "https://user:p@ss@git.example/c.git                                        | https://user:****@git.example/c.git",
        "https://user:@git.example/c.git                                            | https://user:****@git.example/c.git",
        "ssh://git@git.example/c.git                                                | ssh://git@git.example/c.git",
        "ssh://git:hunter2@git.example/c.git                                        | ssh://git:****@git.example/c.git",
        "git@github.com:team/c.git                                                  | git@github.com:team/c.git",
        "file:///srv/repo                                                           | file:///srv/repo",
        // credential query parameters, any case
        "https://repos.example/a.repo?token=t0k                                     | https://repos.example/a.repo?token=****",
        "https://repos.example/a.repo?access_token=t0k&arch=x86_64                  | https://repos.example/a.repo?access_token=****&arch=x86_64",
        "https://repos.example/a.repo?arch=x86_64&TOKEN=t0k                         | https://repos.example/a.repo?arch=x86_64&TOKEN=****",
        "https://repos.example/a.repo?passwd=x&secret=y&sig=z&signature=w           | https://repos.example/a.repo?passwd=****&secret=****&sig=****&signature=****",
        "https://repos.example/a.repo?key=x&api_key=y&auth=z                        | https://repos.example/a.repo?key=****&api_key=****&auth=****",
        "https://b.s3.example/a.repo?X-Amz-Credential=c&X-Amz-Signature=s&X-Amz-Date=d | https://b.s3.example/a.repo?X-Amz-Credential=****&X-Amz-Signature=****&X-Amz-Date=d",
        "https://x.example/a?private_token=p&client_secret=q#frag                   | https://x.example/a?private_token=****&client_secret=****#frag",
        "https://x.example/a?tokenizer=bpe&monkey=3                                 | https://x.example/a?tokenizer=bpe&monkey=3",
        // both at once
        "http://repouser:rt0k@127.0.0.1:8080/a.repo?token=q7                        | http://repouser:****@127.0.0.1:8080/a.repo?token=****",
    })
    void credentialsInTheUrlAreMasked(String url, String shown) {
        assertThat(UrlCredentials.redact(url)).isEqualTo(shown);
    }

    /** A value runs to the next separator or space, so a ':' after it in a message is masked too: safe side. */
    @Test
    void urlsInsideAMessageAreMaskedAndTheRestIsKept() {
        String message = "cannot fetch http://u:pw1@h/a.repo?token=tk2: HTTP 401; retried https://ghp_tk3@github.com/x.git"
                + " with Authorization: Basic dTpwdzE= and Authorization: Bearer tk4.";

        assertThat(UrlCredentials.redact(message)).isEqualTo("cannot fetch http://u:****@h/a.repo?token=**** HTTP 401;"
                + " retried https://****@github.com/x.git with Authorization: Basic **** and Authorization: Bearer ****");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "https://builder:ghp_s3cret@git.example/team/c.git      | https://git.example/team/c.git",
        "https://ghp_s3cret@github.com/team/c.git               | https://github.com/team/c.git",
        "ssh://git@git.example/c.git                            | ssh://git@git.example/c.git",
        "ssh://git:hunter2@git.example/c.git                    | ssh://git@git.example/c.git",
        "https://repos.example/a.repo?token=t0k                 | https://repos.example/a.repo",
        "https://repos.example/a.repo?token=t0k&arch=x86_64     | https://repos.example/a.repo?arch=x86_64",
        "https://repos.example/a.repo?arch=x86_64&sig=s#f       | https://repos.example/a.repo?arch=x86_64#f",
        "file:///srv/repo                                       | file:///srv/repo",
        "/srv/repo                                              | /srv/repo",
    })
    void strippedUrlsHoldNoCredentialAtAll(String url, String kept) {
        assertThat(UrlCredentials.stripped(url)).isEqualTo(kept);
    }

    @Test
    void userInfoIsDecodedForUse() {
        assertThat(UrlCredentials.userInfo("https://bob:p%40ss%2Fw@git.example/c.git"))
                .contains(new UrlCredentials.UserInfo("bob", "p@ss/w"));
        assertThat(UrlCredentials.userInfo("https://ghp_tok@github.com/c.git"))
                .contains(new UrlCredentials.UserInfo("ghp_tok", ""));
        assertThat(UrlCredentials.userInfo("ssh://git@github.com/c.git")).isEqualTo(Optional.empty());
        assertThat(UrlCredentials.userInfo("https://github.com/c.git")).isEqualTo(Optional.empty());
        assertThat(UrlCredentials.userInfo("file:///srv/x@y")).isEqualTo(Optional.empty());
        assertThat(new UrlCredentials.UserInfo("bob", "hunter2").toString()).doesNotContain("hunter2");
    }

    @Test
    void secretsAreEveryCredentialRawAndDecoded() {
        assertThat(UrlCredentials.secrets("http://u:p%40w@h/a.repo?token=t1&arch=x&X-Amz-Signature=s2"))
                .containsExactlyInAnyOrder("p%40w", "p@w", "t1", "s2");
        assertThat(UrlCredentials.secrets("https://ghp_tok@github.com/c.git")).containsExactly("ghp_tok");
        assertThat(UrlCredentials.secrets("ssh://git@github.com/c.git")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"access_token", "TOKEN", "Password", "passwd", "secret", "sig", "signature", "key", "api_key",
        "auth", "X-Amz-Signature", "x-amz-security-token", "sslpassword", "github_token", "client_secret"})
    void credentialParameterNames(String name) {
        assertThat(UrlCredentials.isCredentialParameter(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"arch", "ref", "user", "ssl", "AUTO_SERVER", "tokenizer", "X-Amz-Date", "keyword"})
    void ordinaryParameterNames(String name) {
        assertThat(UrlCredentials.isCredentialParameter(name)).isFalse();
    }
}
