package dev.cnnlab.tracker;

import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/** The first API token the running test profile configures in cnnlab.auth.tokens ("name:secret,..."). */
public final class TestToken {
    private TestToken() {
    }

    /** The token's secret, or empty when the profile configures none. */
    public static Optional<String> secret() {
        return first().map(entry -> entry.substring(entry.indexOf(':') + 1).trim());
    }

    /** The token's name, which writes record as their author. */
    public static String name() {
        String entry = first().orElseThrow(() -> new IllegalStateException("no cnnlab.auth.tokens in this profile"));
        return entry.substring(0, entry.indexOf(':')).trim();
    }

    private static Optional<String> first() {
        return ConfigProvider.getConfig().getOptionalValue("cnnlab.auth.tokens", String.class)
                .map(tokens -> tokens.split(",")[0]);
    }
}
