package dev.cnnlab.onnx;

import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Command line: {@code OnnxConvert --to-onnx OUT.onnx IN} writes a cnnlab model (a file, or a
 * directory holding {@code model.safetensors}) as ONNX at opset {@value OnnxExporter#OPSET}. It
 * lives here rather than in {@code ConvertModel} so that the inference module, and with it the
 * prediction function, never sees protobuf.
 */
public final class OnnxConvert {
    static final String USAGE = "usage: OnnxConvert --to-onnx OUT.onnx IN";

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
    static String run(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("--to-onnx")) {
            Path out = Path.of(args[1]);
            ModelArchive model = ModelFile.read(Path.of(args[2]));
            Files.write(out, OnnxExporter.export(model).toByteArray());
            return String.format(Locale.ROOT, "%s -> %s (%,d bytes, ONNX opset %d)", args[2], out,
                    Files.size(out), OnnxExporter.OPSET);
        }
        throw new IllegalArgumentException("expected --to-onnx OUT IN, got " + String.join(" ", args));
    }
}
