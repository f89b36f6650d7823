package dev.cnnlab.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnlab.training.loop.EvaluationPoint;
import dev.cnnlab.training.loop.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * {@code Train --eval-every N [--timeline FILE]}: validation accuracy every N batches, logged and appended to
 * a JSON-lines file (one object per evaluation: the fold and the {@link EvaluationPoint}), so a resumed run
 * continues the same file.
 */
final class Timeline implements TrainingListener {
    private static final Logger LOG = Logger.getLogger(Timeline.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int every;
    private final Path file;

    /**
     * @param every the {@code --eval-every} value, batches between evaluations
     * @param file  where the points go, or null to log them only
     */
    Timeline(String every, Path file) {
        try {
            this.every = Integer.parseInt(every.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--eval-every must be a whole number of batches, got '" + every + "'");
        }
        if (this.every < 1) {
            throw new IllegalArgumentException("--eval-every must be at least 1 batch, got " + this.every);
        }
        this.file = file;
    }

    @Override
    public int evaluateEveryBatches() {
        return every;
    }

    @Override
    public void onEvaluation(int fold, EvaluationPoint p) {
        LOG.info(String.format("fold %d at epoch %.2f (%.1f s, %d images): val loss %.4f acc %.4f", fold,
                p.epochs(), p.seconds(), p.images(), p.loss(), p.accuracy()));
        if (file == null) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("fold", fold);
        line.put("epochs", p.epochs());
        line.putAll(JSON.convertValue(p, Map.class));
        try {
            Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the timeline " + file, e);
        }
    }
}
