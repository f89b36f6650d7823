package dev.cnnlab.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cnnlab.inference.nn.CnnModel;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the function's requests and answers (registered for native reflection). */
public final class Dto {
    private Dto() {
    }

    /** {@code POST /predict} with a JSON body. */
    @RegisterForReflection
    public record ImageRequest(String image) {
    }

    @RegisterForReflection
    public record Label(String label, float probability) {
    }

    @RegisterForReflection
    public record ModelRef(String name, String version, String sha256) {
        static ModelRef of(CnnModel model) {
            return new ModelRef(model.metadata().name(), Dto.version(model), model.sha256());
        }
    }

    /** One image's answer; {@code file} is the form field's file name for multipart requests. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PredictResponse(String file, List<Label> predictions, ModelRef model,
            double tookMs) {
    }

    @RegisterForReflection
    public record Normalization(float[] mean, float[] std) {
    }

    /** {@code GET /model}; {@code engine} is the kernel and thread count chosen at start-up. */
    @RegisterForReflection
    public record ModelDescription(String name, String version, String sha256, int formatVersion,
            String architecture, int[] inputShape, Normalization normalization,
            List<String> labels, String testTimeAugmentation, long macsPerImage,
            String engine, Map<String, String> provenance) {
        static ModelDescription of(CnnModel m) {
            var meta = m.metadata();
            return new ModelDescription(meta.name(), Dto.version(m), m.sha256(), m.formatVersion(),
                    meta.architecture(), meta.inputShape(),
                    new Normalization(meta.mean(), meta.std()), meta.labels(), meta.testTime().json(),
                    m.macsPerImage(), CnnModel.engine(), meta.provenance());
        }
    }

    @RegisterForReflection
    public record ErrorBody(int code, String error) {
    }

    // A model's version: its provenance "version", else its training run id, else a short hash.
    static String version(CnnModel m) {
        Map<String, String> p = m.metadata().provenance();
        if (p.containsKey("version")) {
            return p.get("version");
        }
        if (p.containsKey("runId")) {
            return "run-" + p.get("runId");
        }
        return m.sha256().substring(0, Math.min(12, m.sha256().length()));
    }
}
