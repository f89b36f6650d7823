package dev.cnnlab.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same assertions against the packaged jar (or, with -Pnative, the native binary). */
@QuarkusIntegrationTest
public class V2InferenceIT extends V2InferenceTest {
}
