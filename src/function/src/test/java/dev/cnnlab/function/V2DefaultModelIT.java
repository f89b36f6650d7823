package dev.cnnlab.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same V2 request against the packaged jar or the native executable serving the default model. */
@QuarkusIntegrationTest
public class V2DefaultModelIT extends V2DefaultModelTest {
}
