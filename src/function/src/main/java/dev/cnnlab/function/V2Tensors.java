package dev.cnnlab.function;

import dev.cnnlab.function.V2Dto.InferRequest;
import dev.cnnlab.function.V2Dto.RequestInput;
import dev.cnnlab.function.V2Dto.RequestOutput;
import dev.cnnlab.function.V2Dto.ResponseOutput;
import dev.cnnlab.function.V2Dto.TensorData;
import dev.cnnlab.inference.Predictor;
import dev.cnnlab.inference.image.ImageException;
import dev.cnnlab.inference.nn.CnnModel;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.WebApplicationException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Open Inference Protocol's tensors for {@link V2Resource}: a request's input checked and
 * turned into model inputs, the model's outputs into response tensors. Each refusal names the
 * bad input, datatype, shape, element, output or parameter.
 */
final class V2Tensors {
    static final String INPUT = "input";
    static final String IMAGE = "image";
    static final String PROBABILITIES = "probabilities";
    static final String LABELS = "labels";
    /** Input parameter: the FP32 values are pixels 0..255, to normalize as the model says. */
    static final String NORMALIZE = "normalize";
    static final String FP32 = "FP32";
    static final String BYTES = "BYTES";
    /** Input parameter of the binary tensor data extension: the size of its binary data. */
    static final String BINARY_SIZE = "binary_data_size";

    private V2Tensors() {
    }

    /**
     * The request's one input, with the fields every input needs; its data from the JSON, or
     * the bytes after the JSON header of the body when it declares {@code binary_data_size}.
     */
    static RequestInput onlyInput(InferRequest request, byte[] body, int jsonLength) {
        List<RequestInput> inputs = request.inputs();
        if (inputs == null || inputs.size() != 1 || inputs.get(0) == null) {
            throw new BadRequestException("expected exactly one input ('" + INPUT + "' or '"
                    + IMAGE + "'), got " + (inputs == null ? 0 : inputs.size()));
        }
        RequestInput in = inputs.get(0);
        if (in.name() == null || in.shape() == null || in.datatype() == null) {
            throw new BadRequestException("input needs \"name\", \"shape\" and \"datatype\"");
        }
        Object size = in.parameters() == null ? null : in.parameters().get(BINARY_SIZE);
        if (size != null) {
            return binary(in, size, body, jsonLength);
        }
        if (jsonLength < body.length) {
            throw new BadRequestException((body.length - jsonLength) + " bytes follow the JSON"
                    + " header, but input '" + in.name() + "' declares no " + BINARY_SIZE);
        }
        if (in.data() == null) {
            throw new BadRequestException("input '" + in.name() + "' has no \"data\"");
        }
        return in;
    }

    // the binary tensor data extension: little-endian FP32 values, or BYTES elements each
    // preceded by its length as a little-endian 4-byte integer
    private static RequestInput binary(RequestInput in, Object size, byte[] body, int offset) {
        String name = "input '" + in.name() + "'";
        int length = body.length - offset;
        if (in.data() != null) {
            throw new BadRequestException(name + " has both \"data\" and " + BINARY_SIZE);
        }
        if (!(size instanceof Integer || size instanceof Long)
                || ((Number) size).longValue() != length) {
            throw new BadRequestException(name + " declares " + BINARY_SIZE + " " + size + " but "
                    + length + " bytes follow the JSON header");
        }
        ByteBuffer b = ByteBuffer.wrap(body, offset, length).order(ByteOrder.LITTLE_ENDIAN);
        TensorData data = new TensorData();
        if (FP32.equals(in.datatype())) {
            if (length % 4 != 0) {
                throw new BadRequestException(name + ": " + length + " bytes of binary data are"
                        + " not a whole number of FP32 values");
            }
            float[] values = new float[length / 4];
            b.asFloatBuffer().get(values);
            data.setNumbers(values);
        } else if (BYTES.equals(in.datatype())) {
            while (b.hasRemaining()) {
                int n = b.remaining() < 4 ? -1 : b.getInt();
                if (n < 0 || n > b.remaining()) {
                    throw new BadRequestException(name + ": binary element "
                            + data.elements().size() + " declares " + n + " bytes, "
                            + b.remaining() + " remain");
                }
                byte[] element = new byte[n];
                b.get(element);
                data.elements().add(element);
            }
        }
        // any other datatype is refused by name where the input is read
        return new RequestInput(in.name(), in.shape(), in.datatype(), in.parameters(), data);
    }

    // FP32 [N, C, H, W], normalized unless the input parameter says the values are raw pixels
    static float[][] tensor(RequestInput in, CnnModel m, Predictor p) {
        checkDatatype(in, FP32);
        int[] chw = m.metadata().inputShape();
        long[] s = in.shape();
        if (s.length != 4 || s[0] < 1 || s[0] > Integer.MAX_VALUE / m.inputLength()
                || s[1] != chw[0] || s[2] != chw[1] || s[3] != chw[2]) {
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
        boolean normalize = flag(in.parameters(), NORMALIZE, "input '" + INPUT + "'");
        float[][] batch = new float[(int) s[0]][];
        for (int n = 0; n < batch.length; n++) {
            // sliced straight from the parsed numbers: no copy of the whole tensor
            batch[n] = data.numbers(n * m.inputLength(), (n + 1) * m.inputLength());
            for (int i = 0; i < batch[n].length; i++) {
                if (!Float.isFinite(batch[n][i])) {
                    throw new BadRequestException("input '" + INPUT + "' value "
                            + (n * m.inputLength() + i) + " is not a finite FP32 number");
                }
            }
            if (normalize) {
                p.preprocessor().normalize(batch[n]);
            }
        }
        return batch;
    }

    // BYTES [N] (or [N, 1]) of JPEG/PNG (base64 in JSON), decoded under the pixel caps of Images
    static float[][] images(RequestInput in, Predictor p, int maxImages) {
        checkDatatype(in, BYTES);
        long[] s = in.shape();
        TensorData data = in.data();
        boolean binary = !data.elements().isEmpty();
        int count = binary ? data.elements().size() : data.strings().size();
        if (s.length < 1 || s.length > 2 || s[0] < 1 || s[0] > Integer.MAX_VALUE
                || (s.length == 2 && s[1] != 1)) {
            throw new BadRequestException("input '" + IMAGE + "' must have shape [N] or [N, 1]"
                    + " with N >= 1, got " + Arrays.toString(s));
        }
        if (count != data.size() || count != s[0]) {
            throw new BadRequestException("input '" + IMAGE + "' of shape " + Arrays.toString(s)
                    + " needs " + s[0] + (binary ? " binary elements" : " base64 strings")
                    + ", got " + data.size() + " values of which " + count
                    + (binary ? " binary elements" : " strings"));
        }
        if (s[0] > maxImages) {
            throw new WebApplicationException("input '" + IMAGE + "' holds " + s[0]
                    + " images; the limit is " + maxImages + " per request", 413);
        }
        float[][] batch = new float[count][];
        for (int i = 0; i < batch.length; i++) {
            String where = "input '" + IMAGE + "' element " + i + ": ";
            byte[] bytes;
            try {
                bytes = binary ? data.elements().get(i) : Base64.getMimeDecoder().decode(
                        PredictFunction.stripDataUrl(data.strings().get(i)));
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
    static List<ResponseOutput> outputs(InferRequest request, float[][] probs,
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

    static String shape(CnnModel m) {
        int[] chw = m.metadata().inputShape();
        return "[N, " + chw[0] + ", " + chw[1] + ", " + chw[2] + "]";
    }
}
