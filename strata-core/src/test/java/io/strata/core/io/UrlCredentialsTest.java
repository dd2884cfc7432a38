package io.strata.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlCredentialsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db.example.com:5432/strata?user=strata&password=hunter2 | jdbc:postgresql://db.example.com:5432/strata?user=strata&password=****",
        "jdbc:postgresql://db/strata?password=hunter2&ssl=true                      | jdbc:postgresql://db/strata?password=****&ssl=true",
        "jdbc:postgresql://db/strata?sslpassword=hunter2                            | jdbc:postgresql://db/strata?sslpassword=****",
        "jdbc:postgresql://db/strata?Password=hunter2                               | jdbc:postgresql://db/strata?Password=****",
        "jdbc:postgresql://strata:hunter2@db/strata                                 | jdbc:postgresql://strata:****@db/strata",
        "jdbc:h2:file:/srv/strata/store/strata;AUTO_SERVER=TRUE;PASSWORD=hunter2    | jdbc:h2:file:/srv/strata/store/strata;AUTO_SERVER=TRUE;PASSWORD=****",
        "jdbc:h2:file:/srv/strata/store/strata;AUTO_SERVER=TRUE                     | jdbc:h2:file:/srv/strata/store/strata;AUTO_SERVER=TRUE",
        "jdbc:postgresql://db:5432/strata                                           | jdbc:postgresql://db:5432/strata",
    })
    void passwordsInTheUrlAreMasked(String url, String shown) {
        assertThat(UrlCredentials.redact(url)).isEqualTo(shown);
    }
}
