package io.strata.core.config.doc;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

/** The indented JSON style of everything Strata prints or stores: {@code "key": value}, {@code {}} and {@code []} when empty. */
public final class JsonStyle {
    private JsonStyle() {}

    public static DefaultPrettyPrinter prettyPrinter() {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators)
                .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
    }
}
