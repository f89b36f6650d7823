package dev.cnnlab.tracker.model;

import dev.cnnlab.inference.Prediction;
import dev.cnnlab.inference.image.ImageException;
import dev.cnnlab.tracker.api.ApiException;
import dev.cnnlab.tracker.auth.ReadOnly;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Same answer shape as the prediction function's POST /predict, so the UI can call either. */
@Path("/api/predict")
public class PredictResource {
    @Inject
    ModelRegistry registry;

    public record ModelRef(String name, Integer version, String sha256) {
    }

    public record PredictResponse(List<Prediction> predictions, ModelRef model, double tookMs) {
    }

    @POST
    @ReadOnly
    @Consumes({"image/jpeg", "image/png", MediaType.APPLICATION_OCTET_STREAM, MediaType.WILDCARD})
    @Produces(MediaType.APPLICATION_JSON)
    public PredictResponse predict(byte[] image, @QueryParam("topK") String topK, @QueryParam("model") String model) {
        if (image == null || image.length == 0) {
            throw ApiException.badRequest("the request body must be a JPEG or PNG image, got no bytes");
        }
        Long modelId = model == null || model.isBlank() ? null : parse("model", model, null);
        ModelRegistry.Served served = registry.resolve(modelId);
        // asked-for topK is checked against the labels; the default shrinks to fit small models
        int labels = served.predictor().model().metadata().labels().size();
        int k = parse("topK", topK, (long) Math.min(5, labels)).intValue();
        long start = System.nanoTime();
        List<Prediction> predictions;
        try {
            predictions = served.predictor().predict(image, k);
        } catch (ImageException e) {
            int status = e instanceof ImageException.UnsupportedFormat ? 415 : e instanceof ImageException.TooLarge ? 413 : 400;
            throw new ApiException(status, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        double tookMs = (System.nanoTime() - start) / 1e6;
        return new PredictResponse(predictions, new ModelRef(served.name(), served.version(), served.sha256()), tookMs);
    }

    private static Long parse(String name, String value, Long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer, got '" + value + "'");
        }
    }
}
