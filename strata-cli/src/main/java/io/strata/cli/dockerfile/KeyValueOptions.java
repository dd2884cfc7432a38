package io.strata.cli.dockerfile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Turns repeated {@code KEY=VALUE} option values into an ordered map; a value may be empty or hold '='. */
final class KeyValueOptions {
    private KeyValueOptions() {}

    static Map<String, String> parse(CommandLine commandLine, String option, List<String> values) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String value : values) {
            int eq = value.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(commandLine,
                        option + " needs KEY=VALUE, got '" + value + "'");
            }
            map.put(value.substring(0, eq), value.substring(eq + 1));
        }
        return map;
    }
}
