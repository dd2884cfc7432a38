package io.strata.core.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.config.Configuration;
import io.strata.core.render.TestConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** network_policy: chosen per build, within what strata_build_network_permit allows; refused up front otherwise. */
class NetworkPolicyValidationTest {
    private static List<Violation> validate(String policy, Configuration config) {
        return BuildRequestValidator.validate(TestConfigs.seedRequest().toBuilder().networkPolicy(policy).build(), config);
    }

    @Test
    void byDefaultNoneAndAllowlistMayBeAskedForAndTheDefaultIsAllowlist() {
        Configuration config = TestConfigs.seedConfig();

        assertThat(config.buildNetwork()).isEqualTo("allowlist");
        assertThat(config.buildNetworkPermit()).containsExactly("none", "allowlist");
        assertThat(validate(null, config)).isEmpty();
        assertThat(validate("none", config)).isEmpty();
        assertThat(validate(" AllowList ", config)).isEmpty();
    }

    @Test
    void openUnderTheDefaultConfigurationIsForbiddenWithTheFieldAndTheKeyToChange() {
        List<Violation> violations = validate("open", TestConfigs.seedConfig());

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.code()).isEqualTo(ReasonCode.NETWORK_POLICY_FORBIDDEN);
            assertThat(v.field()).isEqualTo("network_policy");
            assertThat(v.message()).isEqualTo("network policy open is not permitted here: strata_build_network_permit = none,allowlist");
            assertThat(v.fix()).contains("strata_build_network_permit");
        });
    }

    @Test
    void openIsAcceptedWhereTheConfigurationPermitsIt() {
        assertThat(validate("open", TestConfigs.seedConfigWith("strata_build_network_permit", "none,allowlist,open"))).isEmpty();
    }

    @Test
    void aDefaultTheConfigurationDoesNotPermitIsRefusedForARequestThatNamesNone() {
        Configuration config = TestConfigs.seedConfigWith("strata_build_network_permit", "none");

        assertThat(validate(null, config)).singleElement().satisfies(v -> {
            assertThat(v.code()).isEqualTo(ReasonCode.NETWORK_POLICY_FORBIDDEN);
            assertThat(v.message()).startsWith("the default network policy (strata_build_network) allowlist is not permitted");
        });
        assertThat(validate("none", config)).isEmpty();
    }

    @Test
    void aMisspelledPolicyIsUnknown() {
        assertThat(validate("closed", TestConfigs.seedConfig())).singleElement().satisfies(v -> {
            assertThat(v.code()).isEqualTo(ReasonCode.UNKNOWN_NETWORK_POLICY);
            assertThat(v.message()).isEqualTo("network policy 'closed' is not none, allowlist or open");
        });
    }

    @Test
    void theStoredRequestNamesThePolicyInEffect() {
        BuildRequest request = TestConfigs.seedRequest();

        assertThat(request.withNetworkPolicyOr(NetworkPolicy.ALLOWLIST).networkPolicy()).isEqualTo("allowlist");
        assertThat(request.toBuilder().networkPolicy("none").build().withNetworkPolicyOr(NetworkPolicy.ALLOWLIST)
                .networkPolicy()).isEqualTo("none");
    }
}
