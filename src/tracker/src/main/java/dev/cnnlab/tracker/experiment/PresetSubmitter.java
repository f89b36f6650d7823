package dev.cnnlab.tracker.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code cnnlab.preset=NAME} submits a named experiment at start-up unless one of that name exists.
 * Both presets are the paper's study, keras-cifar10 by batch size with 3-fold cross-validation on a
 * stratified subset, then a final fit of the best batch size scored on held-out images:
 * <ul>
 *   <li>{@code paper-quick}: batch sizes 32, 64, 128; 3,000 images, 500 held out, 5 epochs (minutes);
 *   <li>{@code batch-size-study}: batch sizes 32, 64, 128, 256; 8,000 images, 1,000 held out,
 *       5 epochs (about 20 minutes on 2 idle CPU cores).
 * </ul>
 * {@code airbench-batch-size-study} redoes the study with the {@code airbench94} recipe (learning rate
 * scaled by its per-1,024 rule): batch sizes 256, 512, 1024, 2048 on all 50,000 images, 5,000 held out,
 * its 10 epochs, 3 folds (about 4 x 3 x 1.5 hours on 2 CPU cores; every fold resumes from checkpoints).
 * {@code cnnlab.preset.subset}, {@code .held-out} and {@code .epochs} override a preset's scale.
 */
@ApplicationScoped
public class PresetSubmitter {
    private static final Logger LOG = Logger.getLogger(PresetSubmitter.class);

    /** A preset's recipe (null: the paper's keras-cifar10 with Adam) and default scale. */
    record Preset(String recipe, List<Integer> batchSizes, int subset, int heldOut, int epochs) {}

    static final Map<String, Preset> PRESETS = Map.of(
            "paper-quick", new Preset(null, List.of(32, 64, 128), 3000, 500, 5),
            "batch-size-study", new Preset(null, List.of(32, 64, 128, 256), 8000, 1000, 5),
            "airbench-batch-size-study", new Preset("airbench94", List.of(256, 512, 1024, 2048), 0, 5000, 10));

    @ConfigProperty(name = "cnnlab.preset")
    Optional<String> preset;
    @ConfigProperty(name = "cnnlab.preset.dataset", defaultValue = "../shared/datasets/cifar10/train")
    String dataset;
    @ConfigProperty(name = "cnnlab.preset.subset")
    Optional<Integer> subset;
    @ConfigProperty(name = "cnnlab.preset.held-out")
    Optional<Integer> heldOut;
    @ConfigProperty(name = "cnnlab.preset.epochs")
    Optional<Integer> epochs;
    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    int port;
    @Inject
    ExperimentService experiments;
    @Inject
    ObjectMapper json;

    void onStart(@Observes StartupEvent event) {
        if (preset.isEmpty() || preset.get().isBlank()) {
            return;
        }
        String name = preset.get().trim();
        Preset scale = PRESETS.get(name);
        if (scale == null) {
            throw new IllegalArgumentException(
                    "unknown cnnlab.preset '" + name + "', known: " + PRESETS.keySet().stream().sorted().toList());
        }
        Optional<Experiment> existing = Experiment.find("name", name).firstResultOptional();
        long id;
        if (existing.isPresent()) {
            id = existing.get().id;
            LOG.infof("preset %s already submitted as experiment %d", name, id);
        } else {
            Map<String, Object> spec = spec(name, scale, dataset, subset.orElse(scale.subset()),
                    heldOut.orElse(scale.heldOut()), epochs.orElse(scale.epochs()));
            id = experiments.create(SpecParser.parse(json.valueToTree(spec)), "preset").id();
            LOG.infof("preset %s submitted as experiment %d", name, id);
        }
        LOG.infof("cnnlab UI: http://localhost:%d/#/experiments/%d", port, id);
    }

    static Map<String, Object> spec(String name, Preset preset, String dataset, int subset, int heldOut, int epochs) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", name);
        spec.put("description", "Batch size vs accuracy for " + (preset.recipe() == null ? "keras-cifar10"
                : "the " + preset.recipe() + " recipe") + ": " + (subset == 0 ? "all" : subset) + " images, " + epochs
                + " epochs, 3-fold cross-validation, final fit scored on " + heldOut + " held-out images");
        spec.put("dataset", dataset);
        spec.put("subset", subset);
        spec.put("heldOut", heldOut);
        spec.put("batchSizes", preset.batchSizes());
        spec.put("epochs", epochs);
        spec.put("folds", 3);
        if (preset.recipe() != null) {
            spec.put("recipe", preset.recipe());
        } else {
            spec.put("architectures", List.of("keras-cifar10"));
            spec.put("learningRates", List.of(0.001));
            spec.put("optimizer", "adam");
            spec.put("augmentation", "none");
        }
        spec.put("seed", 42);
        spec.put("finalFit", true);
        return spec;
    }
}
