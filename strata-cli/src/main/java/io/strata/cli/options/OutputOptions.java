package io.strata.cli.options;

import io.strata.core.render.WireFormat;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code -o json|yaml} for commands that print a document. */
public final class OutputOptions {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "json",
            converter = FormatConverter.class, description = "Output format: json or yaml (default: ${DEFAULT-VALUE}).")
    WireFormat format = WireFormat.JSON;

    public WireFormat format() {
        return format;
    }

    /** Accepts json/yaml in any case, as users type them. */
    static final class FormatConverter implements CommandLine.ITypeConverter<WireFormat> {
        @Override
        public WireFormat convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "json" -> WireFormat.JSON;
                case "yaml", "yml" -> WireFormat.YAML;
                default -> throw new CommandLine.TypeConversionException("'" + value + "' is not json or yaml");
            };
        }
    }
}
