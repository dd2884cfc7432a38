package io.strata.worker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.config.HostPort;
import io.strata.core.request.NetworkPolicy;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllowListTest {
    private static final AllowList.Resolver FAKE = host -> switch (host) {
        case "repo.example" -> List.of("192.0.2.10");
        case "mirror.example" -> List.of("192.0.2.11", "192.0.2.12");
        case "127.0.0.1", "192.0.2.99" -> List.of(host);
        default -> throw new UnknownHostException(host);
    };

    @Test
    void theReposBaseUrlsTheRegistryAndTheConfiguredHostsAreAllowedResolvedOnce(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.repo"), """
                [a]
                name=A
                baseurl=http://repo.example/os/$releasever/$basearch/ https://repo.example/alt/
                gpgcheck=0
                [b]
                mirrorlist = http://mirror.example:8080/list?repo=b
                baseurl=file:///srv/local/
                """);

        List<AllowedEndpoint> endpoints = new AllowList(FAKE).resolve(Optional.of(dir), "127.0.0.1:5000",
                List.of(new HostPort("192.0.2.99", 8443)), line -> { });

        assertThat(endpoints).extracting(AllowedEndpoint::describe).containsExactly(
                "repo.example:80 (192.0.2.10) [yum repo]", "repo.example:443 (192.0.2.10) [yum repo]",
                "mirror.example:8080 (192.0.2.11) [yum repo]", "mirror.example:8080 (192.0.2.12) [yum repo]",
                "127.0.0.1:5000 [registry]", "192.0.2.99:8443 [configuration]");
        NetworkGrant grant = new NetworkGrant(NetworkPolicy.ALLOWLIST, endpoints);
        // Names are pinned for the build (its /etc/hosts): DNS is never asked from inside.
        assertThat(grant.pinnedHosts()).isEqualTo(Map.of("repo.example", "192.0.2.10", "mirror.example", "192.0.2.11"));
    }

    @Test
    void aNameThatDoesNotResolveStopsTheBuildNamingWhereItCameFrom() {
        assertThatThrownBy(() -> new AllowList(FAKE).resolve(Optional.empty(), "127.0.0.1:5000",
                List.of(new HostPort("nowhere.example", 443)), line -> { }))
                .isInstanceOfSatisfying(StrataException.class, e -> {
                    assertThat(e.reason()).isEqualTo("NETWORK_ALLOW_UNRESOLVED");
                    assertThat(e.getMessage()).contains("nowhere.example", "configuration");
                    assertThat(e.hint()).contains("strata_build_network_allow");
                });
    }

    @Test
    void aRepositoryHostThatDoesNotResolveIsLeftOutWithAWarning(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.repo"), "[gone]\nbaseurl=http://gone.example/x/\n[here]\nbaseurl=http://repo.example/y/\n");
        List<String> log = new java.util.ArrayList<>();

        List<AllowedEndpoint> endpoints = new AllowList(FAKE).resolve(Optional.of(dir), "127.0.0.1:5000", List.of(), log::add);

        assertThat(endpoints).extracting(AllowedEndpoint::host).containsExactly("repo.example", "127.0.0.1");
        assertThat(log).singleElement().asString().contains("gone.example", "RUN steps cannot reach gone.example:80");
    }

    @Test
    void aRepoUrlWithoutAHostIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.repo"), "[x]\nbaseurl=gopher://\n");

        assertThatThrownBy(() -> AllowList.repoHosts(Optional.of(dir)))
                .isInstanceOfSatisfying(StrataException.class, e -> assertThat(e.reason()).isEqualTo("NETWORK_ALLOW_UNRESOLVED"));
    }

    @Test
    void theNamesOfABuildsNetworkFollowFromItsIdAndFitTheKernelsLimits() {
        NetworkNames names = NetworkNames.of(new BuildId("20261201-183321-abcdef"));

        assertThat(names.namespace()).isEqualTo("strata-20261201-183321-abcdef");
        assertThat(names.hostLink()).isEqualTo("sb183321abcdef").hasSizeLessThanOrEqualTo(15);
        assertThat(names.chain()).isEqualTo("SB-20261201-183321-abcdef").hasSizeLessThanOrEqualTo(28);
    }
}
