package dev.cnnlab.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The six views served by the packaged jar or the native executable. */
@QuarkusIntegrationTest
public class TranslateModelIT extends TranslateModelTest {
}
