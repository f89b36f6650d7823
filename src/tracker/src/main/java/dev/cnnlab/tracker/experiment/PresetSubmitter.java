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
 * {@code cnnlab.preset=paper-quick} submits the paper's quick experiment at start-up unless an
 * experiment of that name exists: keras-cifar10 at batch sizes 32, 64 and 128, 3-fold
 * cross-validation on a stratified subset, then a final fit of the best batch size scored on a
 * held-out set.
 */
@ApplicationScoped
public class PresetSubmitter {
    private static final Logger LOG = Logger.getLogger(PresetSubmitter.class);

    @ConfigProperty(name = "cnnlab.preset")
    Optional<String> preset;
    @ConfigProperty(name = "cnnlab.preset.dataset", defaultValue = "/work/shared/datasets/cifar10/train")
    String dataset;
    @ConfigProperty(name = "cnnlab.preset.subset", defaultValue = "3000")
    int subset;
    @ConfigProperty(name = "cnnlab.preset.held-out", defaultValue = "500")
    int heldOut;
    @ConfigProperty(name = "cnnlab.preset.epochs", defaultValue = "5")
    int epochs;
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
        if (!preset.get().equals("paper-quick")) {
            throw new IllegalArgumentException("unknown cnnlab.preset '" + preset.get() + "', known: [paper-quick]");
        }
        Optional<Experiment> existing = Experiment.find("name", "paper-quick").firstResultOptional();
        long id;
        if (existing.isPresent()) {
            id = existing.get().id;
            LOG.infof("preset paper-quick already submitted as experiment %d", id);
        } else {
            id = experiments.create(SpecParser.parse(json.valueToTree(spec())), "preset").id();
            LOG.infof("preset paper-quick submitted as experiment %d", id);
        }
        LOG.infof("cnnlab UI: http://localhost:%d/#/experiments/%d", port, id);
    }

    Map<String, Object> spec() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "paper-quick");
        spec.put("description", "Batch size vs accuracy for keras-cifar10: " + subset + " images, " + epochs
                + " epochs, 3-fold cross-validation, final fit scored on " + heldOut + " held-out images");
        spec.put("dataset", dataset);
        spec.put("subset", subset);
        spec.put("heldOut", heldOut);
        spec.put("architectures", List.of("keras-cifar10"));
        spec.put("batchSizes", List.of(32, 64, 128));
        spec.put("learningRates", List.of(0.001));
        spec.put("epochs", epochs);
        spec.put("folds", 3);
        spec.put("optimizer", "adam");
        spec.put("augmentation", "none");
        spec.put("seed", 42);
        spec.put("finalFit", true);
        return spec;
    }
}
