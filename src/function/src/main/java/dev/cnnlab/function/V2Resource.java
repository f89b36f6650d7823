package dev.cnnlab.function;

import static dev.cnnlab.function.V2Tensors.BYTES;
import static dev.cnnlab.function.V2Tensors.FP32;
import static dev.cnnlab.function.V2Tensors.IMAGE;
import static dev.cnnlab.function.V2Tensors.INPUT;
import static dev.cnnlab.function.V2Tensors.LABELS;
import static dev.cnnlab.function.V2Tensors.PROBABILITIES;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnlab.function.V2Dto.InferRequest;
import dev.cnnlab.function.V2Dto.InferResponse;
import dev.cnnlab.function.V2Dto.ModelMetadata;
import dev.cnnlab.function.V2Dto.ModelReady;
import dev.cnnlab.function.V2Dto.RequestInput;
import dev.cnnlab.function.V2Dto.ServerLive;
import dev.cnnlab.function.V2Dto.ServerMetadata;
import dev.cnnlab.function.V2Dto.ServerReady;
import dev.cnnlab.function.V2Dto.TensorMetadata;
import dev.cnnlab.inference.Predictor;
import dev.cnnlab.inference.nn.CnnModel;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The Open Inference Protocol (KServe V2) REST API over the loaded model, beside
 * {@code POST /predict}: the model takes either {@code input} (FP32 {@code [N, C, H, W]},
 * normalized, or raw 0..255 pixels with the input parameter {@code normalize}) or
 * {@code image} (BYTES {@code [N]}, base64 JPEG/PNG), and gives {@code probabilities} (FP32
 * {@code [N, classes]}) and, when asked, {@code labels} (BYTES {@code [N]}, the top label);
 * {@link V2Tensors} reads and writes the tensors. The POSTs go through {@link BodyLimit} and {@link LoadShedder} like {@code /predict}; errors
 * are {@code {"error": "..."}} (see {@link ErrorMappers}). See src/function/README.md.
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class V2Resource {
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    @Inject
    ModelService models;

    @Inject
    LoadShedder shedder;

    @Inject
    ObjectMapper json;

    @Inject
    FunctionMetrics metrics;

    // the multipart limit of PredictFunction, for the same reason: each encoded image becomes
    // a model input of its own, so a batch of tiny images grows a hundredfold once decoded
    @ConfigProperty(name = "cnnlab.max-files", defaultValue = "32")
    int maxImages;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String serverVersion;

    @GET
    public ServerMetadata server() {
        return new ServerMetadata("cnnlab-function", serverVersion, List.of());
    }

    @GET
    @Path("health/live")
    public ServerLive live() {
        return new ServerLive(true);
    }

    @GET
    @Path("health/ready")
    public Response ready() {
        boolean ready = models.isLoaded();
        return Response.status(ready ? 200 : 503).entity(new ServerReady(true, ready)).build();
    }

    @GET
    @Path("models/{name}")
    public ModelMetadata metadata(@RestPath String name) {
        return metadata(name, null);
    }

    @GET
    @Path("models/{name}/versions/{version}")
    public ModelMetadata metadata(@RestPath String name, @RestPath String version) {
        CnnModel m = model(name, version);
        int[] chw = m.metadata().inputShape();
        return new ModelMetadata(m.metadata().name(), List.of(Dto.version(m)),
                "cnnlab_safetensors",
                List.of(new TensorMetadata(INPUT, FP32, new long[] {-1, chw[0], chw[1], chw[2]}),
                        new TensorMetadata(IMAGE, BYTES, new long[] {-1})),
                List.of(new TensorMetadata(PROBABILITIES, FP32,
                                new long[] {-1, m.outputLength()}),
                        new TensorMetadata(LABELS, BYTES, new long[] {-1})));
    }

    @GET
    @Path("models/{name}/ready")
    public ModelReady modelReady(@RestPath String name) {
        return modelReady(name, null);
    }

    @GET
    @Path("models/{name}/versions/{version}/ready")
    public ModelReady modelReady(@RestPath String name, @RestPath String version) {
        return new ModelReady(model(name, version).metadata().name(), true);
    }

    @POST
    @Path("models/{name}/infer")
    @Consumes(MediaType.WILDCARD)
    public InferResponse infer(@RestPath String name, byte[] body, RoutingContext ctx) {
        return infer(name, null, body, ctx);
    }

    @POST
    @Path("models/{name}/versions/{version}/infer")
    @Consumes(MediaType.WILDCARD)
    public InferResponse infer(@RestPath String name, @RestPath String version, byte[] body,
            RoutingContext ctx) {
        try (var slot = shedder.claim(ctx)) {
            CnnModel m = model(name, version);
            Predictor p = models.predictor();
            // the binary tensor data extension: a JSON header, then the tensors' bytes
            int jsonLength = jsonLength(ctx.request().getHeader(HEADER_LENGTH), body.length);
            InferRequest request = parse(body, jsonLength);
            RequestInput input = V2Tensors.onlyInput(request, body, jsonLength);
            float[][] batch = switch (input.name()) {
                case INPUT -> V2Tensors.tensor(input, m, p);
                case IMAGE -> V2Tensors.images(input, p, maxImages);
                default -> throw new BadRequestException("unknown input '" + input.name()
                        + "': model '" + m.metadata().name() + "' takes '" + INPUT + "' ("
                        + FP32 + " " + V2Tensors.shape(m) + ") or '" + IMAGE + "' (" + BYTES
                        + " [N], JPEG or PNG)");
            };
            float[][] probs = m.predictBatch(batch);
            for (float[] row : probs) {
                metrics.predicted(p.topK(row, 1).get(0).label());
            }
            return new InferResponse(m.metadata().name(), Dto.version(m), request.id(),
                    V2Tensors.outputs(request, probs, p));
        }
    }

    // the loaded model if the path names it (and its version, if it gives one); 400 otherwise
    private CnnModel model(String name, String version) {
        CnnModel m = models.predictor().model();
        String served = m.metadata().name();
        if (!served.equals(name)) {
            throw new BadRequestException("unknown model '" + name + "': this server serves '"
                    + served + "'");
        }
        if (version != null && !version.equals(Dto.version(m))) {
            throw new BadRequestException("unknown version '" + version + "' of model '" + name
                    + "': it has version '" + Dto.version(m) + "'");
        }
        return m;
    }

    private static int jsonLength(String header, int bodyLength) {
        if (header == null) {
            return bodyLength;
        }
        try {
            int n = Integer.parseInt(header.trim());
            if (n >= 0 && n <= bodyLength) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new BadRequestException(HEADER_LENGTH + " must be from 0 to the body's " + bodyLength
                + " bytes, got '" + header + "'");
    }

    private InferRequest parse(byte[] body, int length) {
        try {
            InferRequest request = json.readValue(body, 0, length, InferRequest.class);
            if (request == null) {
                throw new BadRequestException("empty inference request");
            }
            return request;
        } catch (JsonProcessingException e) {
            throw new BadRequestException("malformed inference request: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequestException("unreadable inference request: " + e.getMessage());
        }
    }
}
