package io.strata.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.core.config.reactor.ReactorConfigLoader;
import io.strata.core.plan.StepCatalog;
import io.strata.core.request.ReasonCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md must keep up with the code: every key, reason code, schema key and step. */
class ConfigurationDocsTest {
    private static final Path DOC = Path.of("../docs/configuration.md");

    @Test
    void everyConfigKeyIsDocumentedWithItsDefaultAndEnvironmentVariable() throws Exception {
        String doc = Files.readString(DOC);
        for (ConfigKey key : ConfigKey.values()) {
            String row = doc.lines().filter(l -> l.startsWith("| `" + key.key() + "` |")).findFirst().orElse("");
            assertThat(row).as("row for %s", key.key()).isNotEmpty();
            key.defaultValue().filter(d -> !d.isEmpty()).ifPresent(d -> assertThat(row).contains("`" + d + "`"));
            key.environmentVariable().ifPresent(v -> assertThat(row).contains("`" + v + "`"));
        }
        assertThat(doc).contains("| `node_selector.ARCH` |");
    }

    /** Request reason codes live in the one catalogue, docs/reasons.md: field, then the summary. */
    @Test
    void everyReasonCodeIsDocumentedWithItsSummary() throws Exception {
        String catalogue = Files.readString(DOC.resolveSibling("reasons.md"));
        for (ReasonCode code : ReasonCode.values()) {
            assertThat(catalogue).containsPattern(java.util.regex.Pattern.quote("| `" + code.name() + "` | `") + "[a-z_]+"
                    + java.util.regex.Pattern.quote("` | " + code.summary() + " |"));
        }
    }

    @Test
    void everyReactorConfigKeyAndStepIsDocumented() throws Exception {
        String doc = Files.readString(DOC);
        for (String key : ReactorConfigLoader.SCHEMA.fields().keySet()) {
            assertThat(doc).contains("| `" + key + "` |");
        }
        for (StepCatalog.StepSpec step : StepCatalog.standard().steps()) {
            assertThat(doc).contains("| `" + step.name() + "` |");
        }
    }
}
