package dev.cnnlab.function;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * Points the app at the small golden model in the test resources and lowers the body limit and
 * the load-shedding bounds (see OverloadIT); these properties also reach the packaged jar (or
 * native binary) under @QuarkusIntegrationTest.
 */
public class ModelTestResource implements QuarkusTestResourceLifecycleManager {
    static final Path MODEL = Path.of("src/test/resources/model/small-cnn-v1.safetensors")
            .toAbsolutePath();
    static final String MODEL_SHA256 =
            "1135bcde30bc8b70e016dc7b255cd261f215d90c98daf91fb8253bd0b3e9b0e4";
    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int MAX_CONCURRENT = 2;
    static final int MAX_QUEUED = 2;
    static final int QUEUE_TIMEOUT_MS = 500;
    static final int BODY_TIMEOUT_MS = 3000;

    @Override
    public Map<String, String> start() {
        return Map.of("cnnlab.model.path", MODEL.toString(),
                "cnnlab.model.sha256", MODEL_SHA256,
                "quarkus.http.limits.max-body-size", Integer.toString(MAX_BODY_BYTES),
                "cnnlab.max-concurrent", Integer.toString(MAX_CONCURRENT),
                "cnnlab.max-queued", Integer.toString(MAX_QUEUED),
                "cnnlab.queue-timeout", QUEUE_TIMEOUT_MS + "ms",
                "cnnlab.body-timeout", BODY_TIMEOUT_MS + "ms");
    }

    @Override
    public void stop() {
    }
}
