package dev.cnnlab.function;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * Points the app at the small golden model in the test resources and lowers the body limit;
 * these properties also reach the packaged jar (or native binary) under @QuarkusIntegrationTest.
 */
public class ModelTestResource implements QuarkusTestResourceLifecycleManager {
    static final Path MODEL = Path.of("src/test/resources/model/small-cnn-v1.safetensors")
            .toAbsolutePath();
    static final String MODEL_SHA256 =
            "1135bcde30bc8b70e016dc7b255cd261f215d90c98daf91fb8253bd0b3e9b0e4";
    static final int MAX_BODY_BYTES = 1024 * 1024;

    @Override
    public Map<String, String> start() {
        return Map.of("cnnlab.model.path", MODEL.toString(),
                "cnnlab.model.sha256", MODEL_SHA256,
                "quarkus.http.limits.max-body-size", Integer.toString(MAX_BODY_BYTES));
    }

    @Override
    public void stop() {
    }
}
