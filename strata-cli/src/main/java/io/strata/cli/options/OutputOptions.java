package io.strata.cli.options;

import io.strata.core.render.WireFormat;
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
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<WireFormat> {
        @Override
        public WireFormat convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "json" -> WireFormat.JSON;
                case "yaml", "yml" -> WireFormat.YAML;
                default -> throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not json or yaml");
            };
        }
    }
}
