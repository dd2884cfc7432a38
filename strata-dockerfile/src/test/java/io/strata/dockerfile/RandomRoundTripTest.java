package io.strata.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Generated Dockerfiles (fixed seeds): parse then print gives the input back; the labels and envs read
 * back are the ones generated; an edit reads back and leaves the other values alone.
 */
class RandomRoundTripTest {
    private static final int FILES = 400;
    private static final String ALPHABET = "abcXYZ019 _-./:=@$'\"\\`#\t\u00e9\u2615{}";

    /** A generated file and what its last stage must declare. */
    record Generated(String text, Map<String, String> labels, Map<String, String> envs) {}

    @Test
    void printsBackByteForByte() throws DockerfileException {
        Random random = new Random(20261122L);
        for (int i = 0; i < FILES; i++) {
            Generated g = generate(random);
            Dockerfile d = Dockerfile.parse(g.text());

            assertThat(d.content()).isEqualTo(g.text());
            StringBuilder printed = new StringBuilder();
            d.nodes().forEach(n -> printed.append(n.text()));
            assertThat(printed.toString()).as("file %d:%n%s", i, g.text()).isEqualTo(g.text());
            assertThat(d.labels()).as("file %d:%n%s", i, g.text()).isEqualTo(g.labels());
            assertThat(d.envs()).as("file %d:%n%s", i, g.text()).isEqualTo(g.envs());
        }
    }

    @Test
    void editsReadBackAndTouchNothingElse() throws DockerfileException {
        Random random = new Random(7L);
        for (int i = 0; i < FILES; i++) {
            Generated g = generate(random);
            Dockerfile d = Dockerfile.parse(g.text());
            String value = randomValue(random);
            List<String> keys = new ArrayList<>(g.labels().keySet());
            String key = !keys.isEmpty() && random.nextBoolean() ? keys.get(random.nextInt(keys.size()))
                    : "new.key" + random.nextInt(3);

            Dockerfile changed = Dockerfile.parse(d.withLabel(key, value).content());
            assertChangeConfinedToOneLabelOrInsertion(d, changed);
            Map<String, String> expected = new LinkedHashMap<>(g.labels());
            expected.put(key, value);
            assertThat(changed.labels()).as("file %d set %s=%s:%n%s", i, key, value, g.text()).isEqualTo(expected);
            assertThat(changed.envs()).isEqualTo(g.envs());

            Dockerfile removed = Dockerfile.parse(d.withoutLabel(key).content());
            Map<String, String> without = new LinkedHashMap<>(g.labels());
            without.remove(key);
            assertThat(removed.labels()).as("file %d remove %s:%n%s", i, key, g.text()).isEqualTo(without);

            String envKey = "E" + random.nextInt(4);
            Dockerfile env = d.withEnv(envKey, value);
            assertThat(env.envs()).containsEntry(envKey, value);
            assertThat(env.labels()).isEqualTo(g.labels());
        }
    }

    /**
     * Minimality: the characters of the original that an edit replaced all sit inside one LABEL
     * instruction, or none were replaced (whole lines inserted).
     */
    private static void assertChangeConfinedToOneLabelOrInsertion(Dockerfile before, Dockerfile after) {
        String a = before.content();
        String b = after.content();
        int prefix = 0;
        while (prefix < a.length() && prefix < b.length() && a.charAt(prefix) == b.charAt(prefix)) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.length() - prefix && suffix < b.length() - prefix
                && a.charAt(a.length() - 1 - suffix) == b.charAt(b.length() - 1 - suffix)) {
            suffix++;
        }
        int from = prefix;
        int to = a.length() - suffix;
        if (from >= to) {
            return;
        }
        boolean inOneLabel = before.instructions().stream().anyMatch(i -> i.keyword().equals("LABEL")
                && before.startOffset(i) <= from && to <= before.endOffset(i));
        assertThat(inOneLabel).as("changed [%d, %d) of:%n%s%nto:%n%s", from, to, a, b).isTrue();
    }

    private static Generated generate(Random random) {
        boolean crlf = random.nextInt(4) == 0;
        StringBuilder out = new StringBuilder();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> envs = new LinkedHashMap<>();
        if (random.nextInt(4) == 0) {
            out.append("# syntax=docker/dockerfile:1").append(crlf ? "\r\n" : "\n");
        }
        if (random.nextInt(5) == 0) {
            out.append("ARG BASE=fedora:").append(random.nextInt(50)).append('\n');
        }
        int stages = 1 + random.nextInt(3);
        for (int s = 0; s < stages; s++) {
            labels.clear();
            envs.clear();
            out.append(random.nextBoolean() ? "FROM " : "from ").append(random.nextBoolean() ? "img" + s : "$BASE")
                    .append(random.nextBoolean() ? " AS stage" + s : "").append('\n');
            int count = random.nextInt(12);
            for (int k = 0; k < count; k++) {
                switch (random.nextInt(9)) {
                    case 0 -> out.append("# comment ").append(randomValue(random).replace("\\", "")).append('\n');
                    case 1 -> out.append(random.nextBoolean() ? "\n" : "  \t\n");
                    case 2 -> out.append("RUN <<EOF\necho ").append(k).append("\n  EOF\nEOF\n");
                    case 3 -> out.append(continued(random, "RUN make all && make install DESTDIR=/out"));
                    case 4, 5 -> out.append(continued(random, "LABEL " + pairs(random, labels)));
                    case 6 -> out.append(continued(random, "ENV " + pairs(random, envs)));
                    case 7 -> out.append("CMD [\"/bin/app\", \"--flag\"]\n");
                    default -> out.append("COPY --from=stage0 /a /b\n");
                }
            }
        }
        String text = out.toString();
        if (crlf) {
            text = text.replace("\r\n", "\n").replace("\n", "\r\n");
        }
        if (random.nextInt(4) == 0 && text.endsWith("\n")) {
            text = text.substring(0, text.length() - (text.endsWith("\r\n") ? 2 : 1));
        }
        return new Generated(text, new LinkedHashMap<>(labels), new LinkedHashMap<>(envs));
    }

    /** key=value pairs with independently quoted values; records the values they must read back as. */
    private static String pairs(Random random, Map<String, String> into) {
        int n = 1 + random.nextInt(3);
        List<String> parts = new ArrayList<>();
        Map<String, String> assigned = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = "k" + random.nextInt(5);
            String value = randomValue(random);
            parts.add(key + "=" + quote(value, random));
            assigned.put(key, value);
        }
        into.putAll(assigned);
        return String.join(" ", parts);
    }

    private static String quote(String value, Random random) {
        if (value.indexOf('\'') < 0 && random.nextBoolean()) {
            return "'" + value + "'";
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$") + "\"";
    }

    private static String randomValue(Random random) {
        int length = random.nextInt(8);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    /** Breaks a line at some spaces outside quotes with continuations, sometimes with comment or empty lines. */
    private static String continued(Random random, String line) {
        StringBuilder out = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (quote == c && (c == '\'' || line.charAt(i - 1) != '\\')) {
                quote = 0;
            }
            if (quote == 0 && c == ' ' && i > 6 && random.nextInt(3) == 0) {
                out.append(" \\\n");
                if (random.nextInt(4) == 0) {
                    out.append("  # inside\n");
                }
                out.append("    ");
                continue;
            }
            out.append(c);
        }
        return out.append('\n').toString();
    }
}
