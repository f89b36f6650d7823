package dev.cnnlab.onnx;

import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.inference.nn.CnnModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.cnnlab.onnx.proto.Onnx.ModelProto;

/**
 * Command line: {@code OnnxConvert --to-onnx OUT.onnx IN} writes a cnnlab model (a file, or a
 * directory holding {@code model.safetensors}) as ONNX at opset {@value OnnxExporter#OPSET};
 * {@code OnnxConvert --from-onnx IN.onnx [--labels A,B,...|@FILE] [--normalization M,M,M/S,S,S]
 * [--name NAME] [--softmax] OUT} reads an ONNX classifier ({@link OnnxImporter}) and writes a cnnlab
 * model file (labels and normalization may be left out for a file cnnlab exported). It
 * lives here rather than in {@code ConvertModel} so that the inference module, and with it the
 * prediction function, never sees protobuf.
 */
public final class OnnxConvert {
    static final String USAGE = "usage: OnnxConvert --to-onnx OUT.onnx IN\n"
            + "       OnnxConvert --from-onnx IN.onnx [--labels A,B,...|@FILE] [--normalization M,M,M/S,S,S]"
            + " [--name NAME] [--softmax] OUT";

    private OnnxConvert() {
    }

    /**
     * Converts; exits with 2 on bad arguments or a model that cannot be converted.
     *
     * @param args see {@link #USAGE}
     * @throws IOException if reading or writing fails
     */
    public static void main(String[] args) throws IOException {
        try {
            System.out.println(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    /**
     * Converts and returns the line {@link #main} prints.
     *
     * @param args see {@link #USAGE}
     * @return what was written
     * @throws IOException if reading or writing fails
     * @throws IllegalArgumentException on bad arguments or an unconvertible model
     */
    public static String run(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("--to-onnx")) {
            Path out = Path.of(args[1]);
            ModelArchive model = ModelFile.read(Path.of(args[2]));
            Files.write(out, OnnxExporter.export(model).toByteArray());
            return String.format(Locale.ROOT, "%s -> %s (%,d bytes, ONNX opset %d)", args[2], out,
                    Files.size(out), OnnxExporter.OPSET);
        }
        if (args.length >= 3 && args[0].equals("--from-onnx")) {
            return fromOnnx(args);
        }
        throw new IllegalArgumentException("expected --to-onnx OUT IN or --from-onnx IN ... OUT, got "
                + String.join(" ", args));
    }

    private static String fromOnnx(String[] args) throws IOException {
        Path in = Path.of(args[1]);
        Path out = Path.of(args[args.length - 1]);
        String name = in.getFileName().toString().replaceFirst("\\.onnx$", "");
        List<String> labels = null;
        float[] mean = null;
        float[] std = null;
        boolean softmax = false;
        for (int i = 2; i < args.length - 1; i++) {
            String opt = args[i];
            if (opt.equals("--softmax")) {
                softmax = true;
                continue;
            }
            if (i + 1 >= args.length - 1) {
                throw new IllegalArgumentException("option " + opt + " needs a value");
            }
            String v = args[++i];
            switch (opt) {
                case "--labels" -> labels = v.startsWith("@")
                        ? Files.readAllLines(Path.of(v.substring(1))).stream().map(String::trim)
                                .filter(s -> !s.isEmpty()).toList()
                        : List.of(v.split(","));
                case "--normalization" -> {
                    String[] ms = v.split("/");
                    if (ms.length != 2) {
                        throw new IllegalArgumentException("--normalization must be MEAN,.../STD,..., got " + v);
                    }
                    mean = OnnxImporter.floats(ms[0]);
                    std = OnnxImporter.floats(ms[1]);
                }
                case "--name" -> name = v;
                default -> throw new IllegalArgumentException("unknown option " + opt);
            }
        }
        byte[] bytes = Files.readAllBytes(in);
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("source", "onnx");
        provenance.put("onnxFile", in.getFileName().toString());
        provenance.put("onnxSha256", ModelFile.sha256(bytes));
        provenance.put("createdAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        provenance.put("trainedBy", "imported by OnnxConvert --from-onnx");
        ModelArchive model = OnnxImporter.fromOnnx(ModelProto.parseFrom(bytes), name, labels, mean, std,
                provenance, softmax);
        CnnModel.of(model); // compiles the graph: shapes, tensors and the output size are checked here
        String sha = ModelFile.write(out, model.metadata(), model.tensors().values());
        return String.format(Locale.ROOT, "%s (ONNX, %,d bytes) -> %s (%,d bytes, %d nodes), sha256 %s", in,
                bytes.length, out, Files.size(out), model.metadata().graph().size(), sha);
    }
}
