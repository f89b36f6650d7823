package dev.cnnlab.training.loop;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnlab.training.arch.FastBatchNormHelper;
import dev.cnnlab.training.arch.NetworkBuilder;
import dev.cnnlab.training.data.Normalization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The end-of-epoch checkpoint of one fold in a directory: {@code model-epoch-NNNN.zip} (network with
 * updater state, via {@link ModelSerializer}) and {@code state.json} (config, epochs done, metrics so
 * far, best epoch, normalization). Both are written atomically (to {@code NAME.tmp}, then moved over
 * NAME), the state last, so a crash or a failed write (a full disk) leaves the previous checkpoint intact
 * and no partial file behind.
 *
 * <p>Everything else a resumed run needs is derived from the config and the epoch number: the batch
 * order, the augmentation and the dropout masks of epoch {@code e} depend only on (seed, fold, e).
 */
public final class Checkpoint {
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String STATE = "state.json";

    private final Path dir;

    /** Creates a checkpoint handle for a directory (created on first save). */
    public Checkpoint(Path dir) {
        this.dir = dir;
    }

    /**
     * The saved state of a fold after {@code epochsDone} epochs.
     *
     * @param config         the config the fold was trained with
     * @param fold           the fold (-1 for the final model)
     * @param epochsDone     completed epochs
     * @param epochs         metrics of the completed epochs
     * @param bestEpoch      best epoch so far (1-based)
     * @param bestEvaluation validation evaluation at the best epoch, or null
     * @param normalization  the fold's normalization
     * @param seconds        training seconds so far
     * @param images         training images processed so far
     * @param modelFile      the network file name in the directory
     */
    public record State(TrainingConfig config, int fold, int epochsDone, List<EpochMetrics> epochs, int bestEpoch,
                        EvaluationResult bestEvaluation, Normalization normalization, double seconds, long images,
                        String modelFile) {
    }

    /** Returns the saved state, if a checkpoint exists. */
    public Optional<State> state() {
        Path f = dir.resolve(STATE);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(f.toFile(), State.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint state " + f, e);
        }
    }

    /** Loads the network of a saved state, with its updater state. */
    public ComputationGraph network(State state) {
        Path f = dir.resolve(state.modelFile());
        // layers pick their oneDNN helpers as they are created: a process that resumes before it
        // builds any network must enable them first, or it trains about 7x slower
        NetworkBuilder.enableHelpers();
        try {
            ComputationGraph net = ModelSerializer.restoreComputationGraph(f.toFile(), true);
            FastBatchNormHelper.install(net);
            return net;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint network " + f, e);
        }
    }

    /**
     * Saves the network and the state, atomically, and removes older network files.
     *
     * @throws UncheckedIOException naming the file that could not be written and why (e.g. "No space
     *                              left on device"); the previous checkpoint is then still readable
     */
    public void save(ComputationGraph net, State state) {
        Path file = dir;
        try {
            Files.createDirectories(dir);
            file = dir.resolve(state.modelFile());
            writeAtomically(file, tmp -> ModelSerializer.writeModel(net, tmp.toFile(), true));
            file = dir.resolve(STATE);
            writeAtomically(file, tmp -> JSON.writeValue(tmp.toFile(), state));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    String n = p.getFileName().toString();
                    boolean older = n.contains("-epoch-") && !n.endsWith(String.format("-epoch-%04d.bin",
                            state.epochsDone())) && !n.equals(state.modelFile());
                    if (older) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Saves an array that belongs to the checkpoint of an epoch (e.g. the lookahead average), as
     * {@code NAME-epoch-NNNN.bin}; call before {@link #save}, which removes the older epochs' files.
     */
    public void saveArray(String name, int epoch, INDArray array) {
        Path file = dir.resolve(arrayFile(name, epoch));
        try {
            Files.createDirectories(dir);
            writeAtomically(file, tmp -> Nd4j.saveBinary(array, tmp.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads an array saved by {@link #saveArray} for an epoch. */
    public INDArray array(String name, int epoch) {
        Path file = dir.resolve(arrayFile(name, epoch));
        try {
            return Nd4j.readBinary(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint array " + file, e);
        }
    }

    private static String arrayFile(String name, int epoch) {
        return String.format("%s-epoch-%04d.bin", name, epoch);
    }

    /** The content of one checkpoint file, written to the path given. */
    private interface Content {
        void writeTo(Path path) throws IOException;
    }

    /** Writes {@code file.tmp}, then renames it over {@code file}; on failure removes the partial file. */
    private static void writeAtomically(Path file, Content content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            content.writeTo(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Returns the network file name for an epoch. */
    static String modelFile(int epoch) {
        return String.format("model-epoch-%04d.zip", epoch);
    }
}
