package dev.cnnlab.function;

import dev.cnnlab.function.Dto.ImageRequest;
import dev.cnnlab.function.Dto.Label;
import dev.cnnlab.function.Dto.ModelDescription;
import dev.cnnlab.function.Dto.ModelRef;
import dev.cnnlab.function.Dto.PredictResponse;
import dev.cnnlab.inference.Prediction;
import dev.cnnlab.inference.Predictor;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Classifies images with the loaded model; see src/function/README.md for the contract. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class PredictFunction {

    @Inject
    ModelService models;

    @Inject
    LoadShedder shedder;

    @Inject
    FunctionMetrics metrics;

    // each file of a multipart request becomes a model input of its own (12 KB for 3x32x32),
    // so a body of tiny images could otherwise grow a hundredfold once preprocessed
    @ConfigProperty(name = "cnnlab.max-files", defaultValue = "32")
    int maxFiles;

    @POST
    @Path("predict")
    // any image/* type: the bytes decide, so image/gif gets a clear 415 from the decoder
    @Consumes({"image/*", MediaType.APPLICATION_OCTET_STREAM})
    public PredictResponse predictRaw(byte[] body, @RestQuery String topK, RoutingContext ctx) {
        try (var slot = shedder.claim(ctx)) {
            long t0 = System.nanoTime();
            Predictor p = models.predictor();
            return answer(null, p.predict(body, parseTopK(topK, p)), p, t0);
        }
    }

    @POST
    @Path("predict")
    @Consumes(MediaType.APPLICATION_JSON)
    public PredictResponse predictJson(ImageRequest request, @RestQuery String topK,
            RoutingContext ctx) {
        try (var slot = shedder.claim(ctx)) {
            return predictBase64(request, topK);
        }
    }

    private PredictResponse predictBase64(ImageRequest request, String topK) {
        long t0 = System.nanoTime();
        Predictor p = models.predictor();
        int k = parseTopK(topK, p);
        if (request == null || request.image() == null || request.image().isBlank()) {
            throw new BadRequestException("JSON body must be {\"image\": \"<base64 JPEG or PNG>\"}");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(stripDataUrl(request.image()));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("\"image\" is not valid base64: " + e.getMessage());
        }
        return answer(null, p.predict(bytes, k), p, t0);
    }

    @POST
    @Path("predict")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public List<PredictResponse> predictMultipart(@RestForm(FileUpload.ALL) List<FileUpload> files,
            @RestQuery String topK, RoutingContext ctx) {
        try (var slot = shedder.claim(ctx)) {
            return predictFiles(files, topK);
        }
    }

    private List<PredictResponse> predictFiles(List<FileUpload> files, String topK) {
        long t0 = System.nanoTime();
        Predictor p = models.predictor();
        int k = parseTopK(topK, p);
        if (files == null || files.isEmpty()) {
            throw new BadRequestException("multipart body holds no image file part");
        }
        if (files.size() > maxFiles) {
            throw new WebApplicationException("multipart body holds " + files.size()
                    + " files; the limit is " + maxFiles + " per request", 413);
        }
        List<byte[]> images = new ArrayList<>();
        for (FileUpload f : files) {
            try {
                images.add(Files.readAllBytes(f.uploadedFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // all images go through the batch API, which spreads them over the cores
        List<List<Prediction>> all = p.predictAll(images, k);
        double tookMs = (System.nanoTime() - t0) / 1e6;
        List<PredictResponse> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            metrics.predicted(all.get(i).get(0).label());
            out.add(new PredictResponse(files.get(i).fileName(), labels(all.get(i)),
                    ModelRef.of(p.model()), tookMs));
        }
        return out;
    }

    @GET
    @Path("model")
    public ModelDescription model() {
        return ModelDescription.of(models.predictor().model());
    }

    private PredictResponse answer(String file, List<Prediction> predictions, Predictor p,
            long t0) {
        metrics.predicted(predictions.get(0).label());
        return new PredictResponse(file, labels(predictions), ModelRef.of(p.model()),
                (System.nanoTime() - t0) / 1e6);
    }

    private static List<Label> labels(List<Prediction> predictions) {
        return predictions.stream().map(x -> new Label(x.label(), x.probability())).toList();
    }

    // topK is parsed here rather than bound as int so a bad value gets our JSON 400 and message
    static int parseTopK(String topK, Predictor p) {
        int labels = p.model().outputLength();
        if (topK == null || topK.isBlank()) {
            return Math.min(5, labels);
        }
        try {
            int k = Integer.parseInt(topK.trim());
            if (k >= 1 && k <= labels) {
                return k;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new BadRequestException("topK must be an integer from 1 to " + labels + ", got '"
                + topK + "'");
    }

    // accept "data:image/png;base64,...." as browsers produce it
    static String stripDataUrl(String s) {
        int comma = s.indexOf(',');
        return s.startsWith("data:") && comma > 0 ? s.substring(comma + 1) : s;
    }
}
