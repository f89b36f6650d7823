package dev.cnnlab.tracker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.tracker.auth.ApiTokens.Configured;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading cnnlab.auth.tokens: what is accepted, and errors that never repeat a secret. */
class ApiTokensTest {
    static final String A = "0123456789abcdef0123";
    static final String B = "fedcba9876543210fedc";

    @Test
    void readsNamesAndHashesTheSecrets() {
        assertEquals(List.of(new Configured("ci", ApiTokens.sha256(A)),
                        new Configured("alice@lab", ApiTokens.sha256(B))),
                ApiTokens.parse(" ci:" + A + " , alice@lab:" + B + ","));
        assertEquals(List.of(), ApiTokens.parse(""));
        assertEquals(List.of(), ApiTokens.parse(" , "));
        // only the first colon separates: a secret may hold more
        assertEquals(ApiTokens.sha256(A + ":x"), ApiTokens.parse("ci:" + A + ":x").get(0).sha256());
    }

    @Test
    void sha256IsLowerCaseHexOfUtf8() {
        // echo -n abc | sha256sum
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiTokens.sha256("abc"));
    }

    @Test
    void badEntriesAreNamedByPositionNeverByContent() {
        Map<String, String> bad = Map.of(
                "ci:" + A + "," + B, "entry 2 of 2 is not name:secret",
                "ci:short-secret", "entry 1 of 1: the secret must be at least 16 characters",
                "ci:" + A + " " + B, "without spaces",
                B + " x:" + A, "entry 1 of 1: the name must be",
                ":" + A, "the name must be",
                "ci:" + A + ",ci:" + B, "names a token twice",
                "ci:" + A + ",bot:" + A, "gives two tokens the same secret");
        bad.forEach((config, message) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiTokens.parse(config));
            assertTrue(e.getMessage().contains(message), e.getMessage());
            assertFalse(e.getMessage().contains(A) || e.getMessage().contains(B), "a secret in: " + e.getMessage());
            assertFalse(e.getMessage().contains("short-secret"), e.getMessage());
        });
    }
}
