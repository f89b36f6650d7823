package dev.cnnlab.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnlab.function.V2Dto.InferRequest;
import dev.cnnlab.function.V2Dto.InferResponse;
import dev.cnnlab.function.V2Dto.ModelMetadata;
import dev.cnnlab.function.V2Dto.ModelReady;
import dev.cnnlab.function.V2Dto.RequestInput;
import dev.cnnlab.function.V2Dto.RequestOutput;
import dev.cnnlab.function.V2Dto.ResponseOutput;
import dev.cnnlab.function.V2Dto.ServerLive;
import dev.cnnlab.function.V2Dto.ServerMetadata;
import dev.cnnlab.function.V2Dto.ServerReady;
import dev.cnnlab.function.V2Dto.TensorData;
import dev.cnnlab.function.V2Dto.TensorMetadata;
import dev.cnnlab.inference.Predictor;
import dev.cnnlab.inference.image.ImageException;
import dev.cnnlab.inference.nn.CnnModel;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The Open Inference Protocol (KServe V2) REST API over the loaded model, beside
 * {@code POST /predict}: the model takes either {@value #INPUT} (FP32 {@code [N, C, H, W]},
 * normalized, or raw 0..255 pixels with the input parameter {@value #NORMALIZE}) or
 * {@value #IMAGE} (BYTES {@code [N]}, base64 JPEG/PNG), and gives {@value #PROBABILITIES} (FP32
 * {@code [N, classes]}) and, when asked, {@value #LABELS} (BYTES {@code [N]}, the top label).
 * The POSTs go through {@link BodyLimit} and {@link LoadShedder} like {@code /predict}; errors
 * are {@code {"error": "..."}} (see {@link ErrorMappers}). See src/function/README.md.
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class V2Resource {
    static final String INPUT = "input";
    static final String IMAGE = "image";
    static final String PROBABILITIES = "probabilities";
    static final String LABELS = "labels";
    /** Input parameter: the FP32 values are pixels 0..255, to normalize as the model says. */
    static final String NORMALIZE = "normalize";
    static final String FP32 = "FP32";
    static final String BYTES = "BYTES";

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
            if (ctx.request().getHeader("Inference-Header-Content-Length") != null) {
                throw new BadRequestException("the binary tensor data extension is not"
                        + " supported: send the tensors' \"data\" in the JSON body");
            }
            InferRequest request = parse(body);
            RequestInput input = onlyInput(request);
            float[][] batch = switch (input.name()) {
                case INPUT -> tensor(input, m, p);
                case IMAGE -> images(input, p);
                default -> throw new BadRequestException("unknown input '" + input.name()
                        + "': model '" + m.metadata().name() + "' takes '" + INPUT + "' ("
                        + FP32 + " " + shape(m) + ") or '" + IMAGE + "' (" + BYTES
                        + " [N], base64 JPEG or PNG)");
            };
            float[][] probs = m.predictBatch(batch);
            for (float[] row : probs) {
                metrics.predicted(p.topK(row, 1).get(0).label());
            }
            return new InferResponse(m.metadata().name(), Dto.version(m), request.id(),
                    outputs(request, probs, p));
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

    private InferRequest parse(byte[] body) {
        try {
            InferRequest request = json.readValue(body, InferRequest.class);
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

    private static RequestInput onlyInput(InferRequest request) {
        List<RequestInput> inputs = request.inputs();
        if (inputs == null || inputs.size() != 1 || inputs.get(0) == null) {
            throw new BadRequestException("expected exactly one input ('" + INPUT + "' or '"
                    + IMAGE + "'), got " + (inputs == null ? 0 : inputs.size()));
        }
        RequestInput in = inputs.get(0);
        if (in.name() == null || in.shape() == null || in.datatype() == null) {
            throw new BadRequestException("input needs \"name\", \"shape\" and \"datatype\"");
        }
        if (in.parameters() != null && in.parameters().containsKey("binary_data_size")) {
            throw new BadRequestException("input '" + in.name() + "': the binary tensor data"
                    + " extension is not supported: send its \"data\" in the JSON body");
        }
        if (in.data() == null) {
            throw new BadRequestException("input '" + in.name() + "' has no \"data\"");
        }
        return in;
    }

    // FP32 [N, C, H, W], normalized unless the input parameter says the values are raw pixels
    private static float[][] tensor(RequestInput in, CnnModel m, Predictor p) {
        checkDatatype(in, FP32);
        int[] chw = m.metadata().inputShape();
        long[] s = in.shape();
        if (s.length != 4 || s[0] < 1 || s[1] != chw[0] || s[2] != chw[1] || s[3] != chw[2]) {
            throw new BadRequestException("input '" + INPUT + "' must have shape " + shape(m)
                    + " with N >= 1, got " + Arrays.toString(s));
        }
        TensorData data = in.data();
        long expected = s[0] * m.inputLength();
        if (data.numberCount() != data.size() || data.size() != expected) {
            throw new BadRequestException("input '" + INPUT + "' of shape " + Arrays.toString(s)
                    + " needs " + expected + " numbers, got " + data.numberCount()
                    + (data.size() == data.numberCount() ? ""
                            : " and " + (data.size() - data.numberCount()) + " non-numbers"));
        }
        float[] values = data.numbers();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new BadRequestException("input '" + INPUT + "' value " + i
                        + " is not a finite FP32 number");
            }
        }
        if (flag(in.parameters(), NORMALIZE, "input '" + INPUT + "'")) {
            p.preprocessor().normalize(values);
        }
        float[][] batch = new float[(int) s[0]][];
        for (int n = 0; n < batch.length; n++) {
            batch[n] = Arrays.copyOfRange(values, n * m.inputLength(), (n + 1) * m.inputLength());
        }
        return batch;
    }

    // BYTES [N] (or [N, 1]) of base64 JPEG/PNG, decoded under the pixel caps of Images
    private float[][] images(RequestInput in, Predictor p) {
        checkDatatype(in, BYTES);
        long[] s = in.shape();
        List<String> encoded = in.data().strings();
        if (s.length < 1 || s.length > 2 || s[0] < 1 || (s.length == 2 && s[1] != 1)) {
            throw new BadRequestException("input '" + IMAGE + "' must have shape [N] or [N, 1]"
                    + " with N >= 1, got " + Arrays.toString(s));
        }
        if (encoded.size() != in.data().size() || encoded.size() != s[0]) {
            throw new BadRequestException("input '" + IMAGE + "' of shape " + Arrays.toString(s)
                    + " needs " + s[0] + " base64 strings, got " + in.data().size()
                    + " values of which " + encoded.size() + " strings");
        }
        if (s[0] > maxImages) {
            throw new WebApplicationException("input '" + IMAGE + "' holds " + s[0]
                    + " images; the limit is " + maxImages + " per request", 413);
        }
        float[][] batch = new float[encoded.size()][];
        for (int i = 0; i < batch.length; i++) {
            String where = "input '" + IMAGE + "' element " + i + ": ";
            byte[] bytes;
            try {
                bytes = Base64.getMimeDecoder().decode(PredictFunction.stripDataUrl(
                        encoded.get(i)));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException(where + "not valid base64: " + e.getMessage());
            }
            try {
                batch[i] = p.preprocessor().preprocess(bytes);
            } catch (ImageException.UnsupportedFormat e) {
                throw new ImageException.UnsupportedFormat(where + e.getMessage());
            } catch (ImageException.TooLarge e) {
                throw new ImageException.TooLarge(where + e.getMessage());
            } catch (ImageException e) {
                throw new ImageException.Corrupt(where + e.getMessage(), e);
            }
        }
        return batch;
    }

    // the requested outputs (all by default; labels only when asked), in the order asked
    private static List<ResponseOutput> outputs(InferRequest request, float[][] probs,
            Predictor p) {
        Set<String> names = new LinkedHashSet<>();
        if (request.outputs() == null || request.outputs().isEmpty()) {
            names.add(PROBABILITIES);
        } else {
            for (RequestOutput o : request.outputs()) {
                String name = o == null ? null : o.name();
                if (!PROBABILITIES.equals(name) && !LABELS.equals(name)) {
                    throw new BadRequestException("unknown output '" + name + "': the model"
                            + " gives '" + PROBABILITIES + "' (FP32) and '" + LABELS
                            + "' (BYTES)");
                }
                names.add(name);
            }
        }
        if (flag(request.parameters(), LABELS, "request")) {
            names.add(LABELS);
        }
        int n = probs.length;
        int classes = p.model().outputLength();
        List<ResponseOutput> out = new ArrayList<>();
        for (String name : names) {
            if (name.equals(PROBABILITIES)) {
                float[] flat = new float[n * classes];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(probs[i], 0, flat, i * classes, classes);
                }
                out.add(new ResponseOutput(PROBABILITIES, new long[] {n, classes}, FP32, flat));
            } else {
                List<String> labels = new ArrayList<>();
                for (float[] row : probs) {
                    labels.add(p.topK(row, 1).get(0).label());
                }
                out.add(new ResponseOutput(LABELS, new long[] {n}, BYTES, labels));
            }
        }
        return out;
    }

    private static void checkDatatype(RequestInput in, String datatype) {
        if (!datatype.equals(in.datatype())) {
            throw new BadRequestException("input '" + in.name() + "' must have datatype "
                    + datatype + ", got '" + in.datatype() + "'");
        }
    }

    // a boolean parameter, false when absent
    private static boolean flag(Map<String, Object> parameters, String name, String of) {
        Object v = parameters == null ? null : parameters.get(name);
        if (v == null || v instanceof Boolean) {
            return Boolean.TRUE.equals(v);
        }
        throw new BadRequestException(of + " parameter '" + name + "' must be true or false,"
                + " got " + v);
    }

    private static String shape(CnnModel m) {
        int[] chw = m.metadata().inputShape();
        return "[N, " + chw[0] + ", " + chw[1] + ", " + chw[2] + "]";
    }
}
