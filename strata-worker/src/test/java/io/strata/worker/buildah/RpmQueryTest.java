package io.strata.worker.buildah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.core.build.RpmComponent;
import java.util.List;
import org.junit.jupiter.api.Test;

class RpmQueryTest {
    @Test
    void parsesTabSeparatedFieldsAndTurnsNoneIntoNull() {
        List<String> output = List.of(
                "bash\t5.1.8\t6.el9\tx86_64\t2a7e5d6a4b1f40a2b3b8b4c0f0e1c2d3\t(none)",
                "shadow-utils\t4.9\t8.el9\tx86_64\t0123456789abcdef0123456789abcdef\t2",
                "gpg-pubkey\tfd431d51\t4ae0493b\t(none)\t(none)\t(none)",
                "",
                "tzdata\t2024a\t1.el9\tnoarch\t(none)\t(none)");

        assertThat(RpmQuery.parse(output)).containsExactly(
                new RpmComponent("bash", "5.1.8", "6.el9", "x86_64", "2a7e5d6a4b1f40a2b3b8b4c0f0e1c2d3", null),
                new RpmComponent("shadow-utils", "4.9", "8.el9", "x86_64", "0123456789abcdef0123456789abcdef", "2"),
                new RpmComponent("tzdata", "2024a", "1.el9", "noarch", null, null));
    }

    @Test
    void rejectsALineWithTheWrongNumberOfFields() {
        assertThatThrownBy(() -> RpmQuery.parse(List.of("bash 5.1.8 6.el9")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rpm printed a line with 1 fields instead of 6: bash 5.1.8 6.el9");
    }

    @Test
    void queryFormatAsksForTheSixFieldsInOrder() {
        assertThat(RpmQuery.QUERY_FORMAT)
                .isEqualTo("%{NAME}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SIGMD5}\\t%{EPOCH}\\n");
    }
}
