package anchors;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cnnlab overlay (src/bench/peer, copied into the peer's work copy by src/bench/run.sh): DJL + PyTorch
 * training throughput of cnnlab's airbench94 spec, measured exactly like {@link DjlBench} measures the CIFAR
 * CNN (same random data, warm-up and clean windows), with SGD, momentum 0.85, as the recipe trains (classical
 * momentum here, Nesterov in cnnlab: DJL's PyTorch engine does not implement NAG).
 *
 * <p>Topology (src/training/.../arch/airbench94.json): 2x2 conv 3 -> 24, valid padding, with bias, frozen
 * (its weights come from the data in cnnlab; their values do not change the speed); GELU; three blocks of
 * conv3x3 same (with bias, as cnnlab's spec) -> maxpool 2 -> BN -> GELU -> conv3x3 -> BN -> GELU, widths
 * 64/256/256; maxpool 3; flatten; linear 256 -> 10 without bias; a 1/9 scale; softmax cross-entropy. The BN
 * scale trains here (cnnlab fixes it at 1 with a constraint; both hold it as a parameter).
 */
public final class Airbench94Bench {
    /**
     * Parameters of cnnlab's spec as DL4J counts them (running mean and variance included; NetworksTest in
     * src/bench checks it): 1,971,640 in the convolutions and the linear layer, 4 x 1,152 in batch norm.
     */
    static final long SPEC_PARAMS = 1_976_248;

    private Airbench94Bench() {}

    /** The network, producing logits. */
    static SequentialBlock net() {
        SequentialBlock net = new SequentialBlock()
                .add(conv(24, 2, 0)).add(Activation.geluBlock());
        for (int width : new int[] {64, 256, 256}) {
            net.add(conv(width, 3, 1)).add(Pool.maxPool2dBlock(new Shape(2, 2))).add(bn()).add(Activation.geluBlock())
                    .add(conv(width, 3, 1)).add(bn()).add(Activation.geluBlock());
        }
        return net.add(Pool.maxPool2dBlock(new Shape(3, 3))).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(Net.CLASSES).optBias(false).build())
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().mul(1f / 9)), "scale"));
    }

    private static Block conv(int filters, int kernel, int padding) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optPadding(new Shape(padding, padding))
                .setFilters(filters).build();
    }

    private static Block bn() {
        // DJL's momentum weighs the running value: PyTorch's (and cnnlab's) 0.6 is 0.4 here
        return BatchNorm.builder().optMomentum(0.4f).optEpsilon(1e-12f).build();
    }

    public static void main(String[] args) throws Exception {
        double trainSec = DjlBench.prop("bench.trainSeconds", 20);
        int trainWarm = (int) DjlBench.prop("bench.trainWarmup", 5);
        int[] trainBatches = DjlBench.ints("bench.trainBatches", "512,1024");
        Measure.configure();
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(42);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("engine_version", engine.getVersion());
        List<Object> train = new ArrayList<>();
        for (int bs : trainBatches) {
            Proc.resetPeak();
            Map<String, Object> r;
            try (Model model = Model.newInstance("airbench94-" + bs, Device.cpu(), "PyTorch")) {
                SequentialBlock net = net();
                model.setBlock(net);
                DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        // DJL's PyTorch engine has no NAG update ("Not implemented"): classical momentum keeps
                        // the same state and elementwise work as cnnlab's Nesterov update
                        .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f))
                                .optMomentum(0.85f).build())
                        .optDevices(new Device[] {Device.cpu()});
                try (Trainer trainer = model.newTrainer(cfg)) {
                    trainer.initialize(new Shape(bs, Net.C, Net.H, Net.W));
                    net.getChildren().get(0).getValue().freezeParameters(true); // the whitening conv
                    if (!out.containsKey("params")) {
                        long all = 0;
                        long running = 0;
                        for (Parameter p : net.getParameters().values()) {
                            all += p.getArray().size();
                            running += p.getType() == Parameter.Type.RUNNING_MEAN
                                    || p.getType() == Parameter.Type.RUNNING_VAR ? p.getArray().size() : 0;
                        }
                        out.put("params", all);
                        out.put("params_without_running_stats", all - running);
                        out.put("params_match_spec", all == SPEC_PARAMS);
                        if (all != SPEC_PARAMS) {
                            DjlBench.log("airbench94: " + all + " parameters, cnnlab's spec has " + SPEC_PARAMS);
                        }
                    }
                    r = TrainThroughput.measure("airbench94", trainer, model.getNDManager(), bs, trainWarm,
                            trainSec);
                }
            }
            train.add(r);
        }
        out.put("train", train);
        System.out.println(Json.write(Map.of("airbench94", out)));
    }
}
