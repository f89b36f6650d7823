package dev.cnnlab.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cnnlab.inference.format.Dtype;
import dev.cnnlab.inference.format.TestTimeAugmentation;
import dev.cnnlab.inference.nn.CnnModel;
import dev.cnnlab.training.arch.Architectures;
import dev.cnnlab.training.data.DatasetCache;
import dev.cnnlab.training.data.Datasets;
import dev.cnnlab.training.data.ImageDataset;
import dev.cnnlab.training.export.ModelExporter;
import dev.cnnlab.training.export.ServedModel;
import dev.cnnlab.training.loop.CnnTrainer;
import dev.cnnlab.training.loop.CrossValidationResult;
import dev.cnnlab.training.loop.EvaluationResult;
import dev.cnnlab.training.loop.Evaluator;
import dev.cnnlab.training.loop.FinalResult;
import dev.cnnlab.training.loop.TrainingConfig;
import dev.cnnlab.training.loop.TrainingListener;
import dev.cnnlab.training.recipe.Recipe;
import dev.cnnlab.training.recipe.Recipes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Command-line training: cross-validates an architecture on a data source, optionally trains and
 * exports the final model, and prints a JSON summary on stdout (progress goes to stderr). With
 * {@code --evaluate FILE} it trains nothing and scores an exported model on the held-out images.
 *
 * <p>Rerunning the same command with {@code --checkpoints DIR} continues where it stopped.
 */
public final class Train {
    private static final Logger LOG = Logger.getLogger(Train.class.getName());
    static final String USAGE = """
            usage: Train --data SOURCE [options]
              --data SOURCE        cifar10 | cifar10-test | CIFAR .tar.gz/.bin/folder | class-per-folder images
              --list-archs         list the architectures
              --recipe NAME        start from a named recipe's settings (options below override them)
              --list-recipes       list the recipes
              --checkpoints DIR    checkpoint every epoch; rerun the command to resume
              --final              also train the final model on all non-held-out data
              --export FILE        train the final model and export it (cnnlab model file)
              --export-dtype f32|f16  weights of the exported file; f16 halves it (default f32)
              --test-time MODE     the exported file's test-time augmentation: none|hflip|hflip-translate
                                   (default: the recipe's, else none); the held-out set is also scored with it
              --serve OUT --members F1[,F2...]  no training: merge exported files (several are averaged), set
                                   --test-time and --export-dtype, score it on the held-out images with and
                                   without its test-time augmentation, and write OUT with those scores
              --evaluate FILE      no training: run an exported model (pure Java) on the held-out images
                                   that --data/--subset/--held-out/--seed select (all images without --held-out)
              --cache DIR          decoded-data cache (default ~/.cnnlab/cache)
              --eval-every N       also score the validation (or held-out) images every N batches, logged
              --timeline FILE      append those scores to FILE as JSON lines (fold, epochs, seconds, accuracy)
            training options (--folds 0 skips cross-validation):
            """ + TrainingConfig.SCHEMA.usage();

    private static final List<String> OPTIONS = List.of("data", "list-archs", "recipe", "list-recipes", "checkpoints",
            "final", "export", "export-dtype", "test-time", "serve", "members", "evaluate", "cache", "eval-every", "timeline",
            "help");

    private Train() {
    }

    /** Runs the command line; exits with 2 on bad arguments. */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts;
        try {
            opts = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (opts.containsKey("help")) {
            System.out.print(USAGE);
            return;
        }
        if (opts.containsKey("list-archs")) {
            Architectures.all().forEach((n, s) -> System.out.println(n + "\t" + s.description()));
            return;
        }
        if (opts.containsKey("list-recipes")) {
            Recipes.names().forEach(n -> System.out.println(n + "\t" + Recipes.get(n).description()));
            return;
        }
        Map<String, Object> summary;
        try {
            summary = run(opts);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
    }

    /** Runs training as the options say and returns the JSON summary as a map. */
    static Map<String, Object> run(Map<String, String> o) throws Exception {
        for (String key : o.keySet()) {
            if (!OPTIONS.contains(key) && TrainingConfig.SCHEMA.fields().stream().noneMatch(f -> f.cli().equals(key))) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
        }
        String data = require(o, "data");
        // --folds 0 (or less) skips cross-validation; the config itself needs at least one fold
        boolean crossValidate = !o.containsKey("folds") || (int) TrainingConfig.SCHEMA.field("folds").orElseThrow()
                .parse("--folds", o.get("folds")) > 0;
        Map<String, String> options = new LinkedHashMap<>(o);
        if (!crossValidate) {
            options.remove("folds");
        }
        Recipe recipe = o.containsKey("recipe") ? Recipes.get(o.get("recipe")) : null;
        TrainingConfig config = TrainingConfig.SCHEMA.fromCli(options, recipe == null ? null : recipe.config());
        Dtype weights = Dtype.parse(o.getOrDefault("export-dtype", "f32"));
        TestTimeAugmentation testTime = o.containsKey("test-time") ? TestTimeAugmentation.parse(o.get("test-time"))
                : recipe == null ? TestTimeAugmentation.NONE : recipe.testTimeAugmentation();
        Path checkpoints = o.containsKey("checkpoints") ? Path.of(o.get("checkpoints")) : null;
        Path cache = o.containsKey("cache") ? Path.of(o.get("cache")) : DatasetCache.defaultDir();
        if (o.containsKey("timeline") && !o.containsKey("eval-every")) {
            throw new IllegalArgumentException("--timeline records the --eval-every scores: give --eval-every");
        }
        TrainingListener listener = o.containsKey("eval-every")
                ? new Timeline(o.get("eval-every"), o.containsKey("timeline") ? Path.of(o.get("timeline")) : null)
                : TrainingListener.NONE;
        CnnTrainer trainer = new CnnTrainer(config);
        ImageDataset images = Datasets.load(data, cache);
        LOG.info(() -> "data " + data + ": " + images);

        Map<String, Object> summary = new LinkedHashMap<>();
        if (o.containsKey("serve")) {
            CnnTrainer.PreparedData split = trainer.prepare(images);
            if (split.heldOut() == null) {
                throw new IllegalArgumentException("--serve scores the model on held-out images: give --held-out");
            }
            List<Path> members = Arrays.stream(require(o, "members").split(",")).map(String::trim).map(Path::of)
                    .toList();
            summary.put("split", new Split(config.heldOutFraction(), config.subset(), config.seed()));
            summary.put("served", ServedModel.write(members, Path.of(o.get("serve")), testTime, weights,
                    split.heldOut()));
            return summary;
        }
        if (o.containsKey("evaluate")) { // only the options that select the images apply
            summary.put("split", new Split(config.heldOutFraction(), config.subset(), config.seed()));
            summary.put("environment", Environment.current());
            summary.put("data", data);
            summary.put("evaluation", evaluate(Path.of(o.get("evaluate")), trainer.prepare(images)));
            return summary;
        }
        if (recipe != null) {
            summary.put("recipe", recipe.name());
        }
        summary.put("config", config);
        summary.put("environment", Environment.current());
        summary.put("data", data);
        if (crossValidate) {
            CrossValidationResult cv = trainer.crossValidate(images, checkpoints, listener);
            summary.put("crossValidation", cv);
        }
        if (o.containsKey("final") || o.containsKey("export")) {
            FinalResult fin = trainer.trainFinal(images, checkpoints == null ? null : checkpoints.resolve("final"),
                    listener);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("training", fin.training());
            f.put("heldOut", fin.heldOut());
            if (o.containsKey("export")) {
                Path file = Path.of(o.get("export"));
                Map<String, String> provenance = fin.provenance(config, data.toString());
                provenance.put("trainedBy", "cnnlab Train");
                String sha = ModelExporter.write(fin.model(), fin.model().spec().name(), provenance, file, weights,
                        testTime);
                f.put("export", file + " sha256:" + sha);
                if (testTime != TestTimeAugmentation.NONE && fin.heldOut() != null) {
                    // the served answer: the exported file, views and all, on the same held-out images
                    f.put("heldOutWithTestTime", evaluate(file, trainer.prepare(images)));
                }
            }
            summary.put("final", f);
        }
        return summary;
    }

    /** The options that select the images an evaluation runs on. */
    record Split(double heldOutFraction, int subset, long seed) {
    }

    /**
     * Evaluates an exported model with the pure-Java engine on the held-out images of the prepared
     * data, or on all of it when nothing is held out.
     */
    static Map<String, Object> evaluate(Path file, CnnTrainer.PreparedData data) throws IOException {
        CnnModel model = CnnModel.load(file);
        boolean heldOut = data.heldOut() != null;
        long t0 = System.nanoTime();
        EvaluationResult result = Evaluator.evaluate(model, heldOut ? data.heldOut() : data.development(), 256);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("model", file.toString());
        e.put("sha256", model.sha256());
        e.put("testTimeAugmentation", model.metadata().testTime().json());
        e.put("images", heldOut ? "held-out" : "all");
        e.put("result", result);
        e.put("seconds", (System.nanoTime() - t0) / 1e9);
        return e;
    }

    /** Parses {@code --key value} pairs; flags without a value map to "true". */
    static Map<String, String> parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        List<String> flags = List.of("final", "help", "list-archs", "list-recipes");
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
            String key = args[i].substring(2);
            if (flags.contains(key)) {
                o.put(key, "true");
            } else if (i + 1 < args.length) {
                o.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("option --" + key + " needs a value");
            }
        }
        return o;
    }

    private static String require(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return v;
    }
}
