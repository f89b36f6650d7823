package dev.cnnlab.inference.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command line: rewrites a model file with its weights in another dtype, everything else kept.
 * Usage: {@code ConvertModel --dtype f16|f32 [--test-time none|hflip|hflip-translate] [--ensemble FILE]...
 * [--set KEY=VALUE]... IN OUT}, where IN may be a directory holding {@code model.safetensors};
 * {@code --test-time} sets the {@link TestTimeAugmentation} engines run (kept from IN when absent),
 * each {@code --ensemble} adds a model whose logits are averaged with IN's ({@link Ensemble}), and
 * each {@code --set} adds or replaces a provenance entry (e.g. the accuracy measured after
 * training). Prints the sizes and the new file's SHA-256.
 */
public final class ConvertModel {
    /** The {@code --test-time} values, from {@link TestTimeAugmentation}. */
    static final String TEST_TIMES = String.join("|",
            Arrays.stream(TestTimeAugmentation.values()).map(TestTimeAugmentation::json).toList());
    static final String USAGE = "usage: ConvertModel --dtype f16|f32 [--test-time " + TEST_TIMES + "]"
            + " [--ensemble FILE]... [--set KEY=VALUE]... IN OUT";

    private ConvertModel() {
    }

    /**
     * Converts; exits with 2 on bad arguments or a file that cannot be converted.
     *
     * @param args {@code --dtype f16|f32 [--test-time none|hflip|hflip-translate] [--ensemble FILE]...
     *     [--set KEY=VALUE]... IN OUT}
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
     * @param args {@code --dtype f16|f32 [--test-time none|hflip|hflip-translate] [--ensemble FILE]...
     *     [--set KEY=VALUE]... IN OUT}
     * @return what was written
     * @throws IOException if reading or writing fails
     * @throws IllegalArgumentException on bad arguments, a bad input file or a weight too large
     *     for F16
     */
    static String run(String[] args) throws IOException {
        if (args.length < 4 || args.length % 2 != 0 || !args[0].equals("--dtype")) {
            throw new IllegalArgumentException("expected --dtype D [OPTION VALUE]... IN OUT, got "
                    + String.join(" ", args));
        }
        Dtype dtype = Dtype.parse(args[1]);
        TestTimeAugmentation testTime = null;
        Map<String, String> set = new LinkedHashMap<>();
        List<Path> others = new ArrayList<>();
        for (int i = 2; i < args.length - 2; i += 2) {
            int eq = args[i + 1].indexOf('=');
            if (args[i].equals("--test-time")) {
                testTime = TestTimeAugmentation.parse(args[i + 1]);
            } else if (args[i].equals("--ensemble")) {
                others.add(Path.of(args[i + 1]));
            } else if (args[i].equals("--set") && eq >= 1) {
                set.put(args[i + 1].substring(0, eq), args[i + 1].substring(eq + 1));
            } else {
                throw new IllegalArgumentException("expected --set KEY=VALUE, --ensemble FILE or"
                        + " --test-time " + TEST_TIMES + ", got " + args[i] + " " + args[i + 1]);
            }
        }
        Path in = Path.of(args[args.length - 2]);
        Path out = Path.of(args[args.length - 1]);
        ModelArchive model = ModelFile.read(in);
        if (!others.isEmpty()) {
            List<ModelArchive> members = new ArrayList<>(List.of(model));
            for (Path other : others) {
                members.add(ModelFile.read(other));
            }
            model = Ensemble.of(model.metadata().name() + "-ensemble" + members.size(), members);
        }
        ModelMetadata m = model.metadata();
        Map<String, String> provenance = new LinkedHashMap<>(m.provenance());
        provenance.putAll(set);
        ModelMetadata metadata = m.with(provenance, testTime == null ? m.testTime() : testTime);
        String sha = ModelFile.write(out, metadata, model.tensors().values(), dtype);
        Path inFile = Files.isDirectory(in) ? in.resolve(ModelFile.DEFAULT_FILE_NAME) : in;
        return String.format(Locale.ROOT, "%s (%,d bytes) -> %s (%,d bytes, %s weights), sha256 %s",
                inFile, Files.size(inFile), out, Files.size(out), dtype, sha);
    }
}
