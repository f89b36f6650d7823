package dev.cnnlab.inference.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Command line: rewrites a model file with its weights in another dtype, everything else kept.
 * Usage: {@code ConvertModel --dtype f16|f32 IN OUT}, where IN may be a directory holding
 * {@code model.safetensors}. Prints the sizes and the new file's SHA-256.
 */
public final class ConvertModel {
    static final String USAGE = "usage: ConvertModel --dtype f16|f32 IN OUT";

    private ConvertModel() {
    }

    /**
     * Converts; exits with 2 on bad arguments or a file that cannot be converted.
     *
     * @param args {@code --dtype f16|f32 IN OUT}
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
     * @param args {@code --dtype f16|f32 IN OUT}
     * @return what was written
     * @throws IOException if reading or writing fails
     * @throws IllegalArgumentException on bad arguments, a bad input file or a weight too large
     *     for F16
     */
    static String run(String[] args) throws IOException {
        if (args.length != 4 || !args[0].equals("--dtype")) {
            throw new IllegalArgumentException("expected 4 arguments, got " + String.join(" ", args));
        }
        Dtype dtype = Dtype.parse(args[1]);
        Path in = Path.of(args[2]);
        Path out = Path.of(args[3]);
        ModelArchive model = ModelFile.read(in);
        String sha = ModelFile.write(out, model.metadata(), model.tensors().values(), dtype);
        Path inFile = Files.isDirectory(in) ? in.resolve(ModelFile.DEFAULT_FILE_NAME) : in;
        return String.format(Locale.ROOT, "%s (%,d bytes) -> %s (%,d bytes, %s weights), sha256 %s",
                inFile, Files.size(inFile), out, Files.size(out), dtype, sha);
    }
}
