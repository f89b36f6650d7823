package dev.cnnlab.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cnnlab.training.arch.Architectures;
import dev.cnnlab.training.data.Augmentation;
import dev.cnnlab.training.data.DatasetCache;
import dev.cnnlab.training.data.Datasets;
import dev.cnnlab.training.data.ImageDataset;
import dev.cnnlab.training.loop.CnnTrainer;
import dev.cnnlab.training.loop.CrossValidationResult;
import dev.cnnlab.training.loop.FinalResult;
import dev.cnnlab.training.loop.Optimizer;
import dev.cnnlab.training.loop.Schedule;
import dev.cnnlab.training.loop.TrainedModel;
import dev.cnnlab.training.loop.TrainingConfig;
import dev.cnnlab.training.loop.TrainingListener;
import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Command-line training: cross-validates an architecture on a data source, optionally trains and
 * exports the final model, and prints a JSON summary on stdout (progress goes to stderr).
 *
 * <p>Rerunning the same command with {@code --checkpoints DIR} continues where it stopped.
 */
public final class Train {
    private static final Logger LOG = Logger.getLogger(Train.class.getName());
    private static final String EXPORTER = "dev.cnnlab.training.export.ModelExporter";
    static final String USAGE = """
            usage: Train --data SOURCE [options]
              --data SOURCE        cifar10 | cifar10-test | CIFAR .tar.gz/.bin/folder | class-per-folder images
              --arch NAME          architecture (default keras-cifar10); --list-archs lists them
              --subset N           stratified subset of N images (default all)
              --held-out F         held-out fraction for the final test (default 0)
              --batch-size N       (default 64)      --epochs N   (default 10)
              --folds K            k-fold CV; 1 = one 80/20 split (default 1); 0 = skip CV
              --lr X               base learning rate (default 1e-3)
              --optimizer adam|sgd --schedule constant|step|cosine|onecycle
              --augment none|flip|crop-flip     --weight-decay X   --patience N   --seed N
              --checkpoints DIR    checkpoint every epoch; rerun the command to resume
              --final              also train the final model on all non-held-out data
              --export FILE        train the final model and export it (needs the exporter)
              --cache DIR          decoded-data cache (default ~/.cnnlab/cache)
            """;

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
        String data = require(o, "data");
        TrainingConfig config = TrainingConfig.builder(o.getOrDefault("arch", "keras-cifar10"))
                .optSubset(intOpt(o, "subset", 0))
                .optHeldOutFraction(doubleOpt(o, "held-out", 0))
                .optBatchSize(intOpt(o, "batch-size", 64))
                .optEpochs(intOpt(o, "epochs", 10))
                .optFolds(Math.max(1, intOpt(o, "folds", 1)))
                .optLearningRate(doubleOpt(o, "lr", 1e-3))
                .optOptimizer(enumOpt(o, "optimizer", Optimizer.class, Optimizer.ADAM))
                .optSchedule(enumOpt(o, "schedule", Schedule.class, Schedule.CONSTANT))
                .optAugmentation(enumOpt(o, "augment", Augmentation.class, Augmentation.NONE))
                .optWeightDecay(doubleOpt(o, "weight-decay", 0))
                .optPatience(intOpt(o, "patience", 0))
                .optSeed(Long.parseLong(o.getOrDefault("seed", "42")))
                .build();
        Path checkpoints = o.containsKey("checkpoints") ? Path.of(o.get("checkpoints")) : null;
        Path cache = o.containsKey("cache") ? Path.of(o.get("cache")) : DatasetCache.defaultDir();
        CnnTrainer trainer = new CnnTrainer(config);
        ImageDataset images = Datasets.load(data, cache);
        LOG.info(() -> "data " + data + ": " + images);

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("config", config);
        summary.put("environment", Environment.current());
        summary.put("data", data);
        if (intOpt(o, "folds", 1) > 0) {
            CrossValidationResult cv = trainer.crossValidate(images, checkpoints, TrainingListener.NONE);
            summary.put("crossValidation", cv);
        }
        if (o.containsKey("final") || o.containsKey("export")) {
            FinalResult fin = trainer.trainFinal(images, checkpoints == null ? null : checkpoints.resolve("final"),
                    TrainingListener.NONE);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("training", fin.training());
            f.put("heldOut", fin.heldOut());
            if (o.containsKey("export")) {
                f.put("export", export(fin.model(), Path.of(o.get("export"))));
            }
            summary.put("final", f);
        }
        return summary;
    }

    /**
     * Exports through {@code dev.cnnlab.training.export.ModelExporter} when it is on the class path:
     * calls {@code write(TrainedModel, Path)}, else its first public method named {@code export} or {@code write} whose parameters can all be
     * filled from the model (TrainedModel, ComputationGraph, ArchitectureSpec, List labels, float[] mean
     * then std) and the target (Path, File or String).
     */
    static String export(TrainedModel model, Path target) {
        Class<?> exporter;
        try {
            exporter = Class.forName(EXPORTER);
        } catch (ClassNotFoundException e) {
            LOG.warning("no " + EXPORTER + " on the class path: skipping --export " + target);
            return "skipped: exporter not available";
        }
        List<Method> candidates = new ArrayList<>();
        try {
            candidates.add(exporter.getMethod("write", TrainedModel.class, Path.class));
        } catch (NoSuchMethodException e) {
            // fall back to any export/write method whose parameters can be filled
        }
        candidates.addAll(List.of(exporter.getMethods()));
        for (Method m : candidates) {
            if (!m.getName().equals("export") && !m.getName().equals("write")) {
                continue;
            }
            Object[] args = arguments(m.getParameterTypes(), model, target);
            if (args == null) {
                continue;
            }
            try {
                Object target0 = Modifier.isStatic(m.getModifiers()) ? null
                        : exporter.getDeclaredConstructor().newInstance();
                Object result = m.invoke(target0, args);
                return result instanceof String sha ? target + " sha256:" + sha : target.toString();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("export to " + target + " failed: " + e.getCause(), e);
            }
        }
        throw new IllegalStateException(EXPORTER + " has no usable export/write method");
    }

    private static Object[] arguments(Class<?>[] types, TrainedModel model, Path target) {
        List<Object> args = new ArrayList<>();
        int floats = 0;
        for (Class<?> t : types) {
            if (t == TrainedModel.class) {
                args.add(model);
            } else if (t == ComputationGraph.class) {
                args.add(model.network());
            } else if (t.isInstance(model.spec())) {
                args.add(model.spec());
            } else if (t == List.class) {
                args.add(model.labels());
            } else if (t == float[].class && floats < 2) {
                args.add(floats++ == 0 ? model.mean() : model.std());
            } else if (t == Path.class) {
                args.add(target);
            } else if (t == File.class) {
                args.add(target.toFile());
            } else if (t == String.class) {
                args.add(target.toString());
            } else {
                return null;
            }
        }
        return args.toArray();
    }

    /** Parses {@code --key value} pairs; flags without a value map to "true". */
    static Map<String, String> parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        List<String> flags = List.of("final", "help", "list-archs");
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

    private static int intOpt(Map<String, String> o, String key, int dflt) {
        try {
            return o.containsKey(key) ? Integer.parseInt(o.get(key)) : dflt;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs an integer, got '" + o.get(key) + "'");
        }
    }

    private static double doubleOpt(Map<String, String> o, String key, double dflt) {
        try {
            return o.containsKey(key) ? Double.parseDouble(o.get(key)) : dflt;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs a number, got '" + o.get(key) + "'");
        }
    }

    private static <E extends Enum<E>> E enumOpt(Map<String, String> o, String key, Class<E> type, E dflt) {
        String v = o.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + key + " '" + v + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }
    }
}
