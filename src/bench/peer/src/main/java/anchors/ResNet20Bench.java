package anchors;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
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
 * training and inference throughput of cnnlab's resnet20 spec, measured exactly like {@link DjlBench}
 * measures the CIFAR CNN (same data, warm-up, clean windows, Adam 1e-3).
 *
 * <p>Topology (src/training/.../arch/resnet20.json): conv3x3 16 + BN + ReLU; 3 stages x 3 basic blocks
 * (16/32/64 filters, stride 2 in the first block of stages 2 and 3); shortcuts are identity, or a 1x1
 * stride-2 convolution + BN where the shape changes (option B); global average pooling; dense 10.
 * Convolutions keep their bias, as in the spec.
 */
public final class ResNet20Bench {
    private ResNet20Bench() {}

    /** The network: stem, 9 residual blocks, global average pooling, dense 10 (logits). */
    static SequentialBlock net() {
        SequentialBlock net = new SequentialBlock()
                .add(conv(16, 3, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock());
        int in = 16;
        for (int filters : new int[] {16, 32, 64}) {
            for (int b = 0; b < 3; b++) {
                int stride = b == 0 && filters != in ? 2 : 1;
                net.add(block(filters, stride, filters != in)).add(Activation.reluBlock());
                in = filters;
            }
        }
        return net.add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(Net.CLASSES).build());
    }

    private static Block conv(int filters, int kernel, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2)).setFilters(filters).build();
    }

    private static Block block(int filters, int stride, boolean project) {
        Block main = new SequentialBlock()
                .add(conv(filters, 3, stride)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(conv(filters, 3, 1)).add(BatchNorm.builder().build());
        Block shortcut = project
                ? new SequentialBlock().add(conv(filters, 1, stride)).add(BatchNorm.builder().build())
                : Blocks.identityBlock();
        return new ParallelBlock(
                outs -> new NDList(outs.get(0).singletonOrThrow().add(outs.get(1).singletonOrThrow())),
                List.of(main, shortcut));
    }

    public static void main(String[] args) throws Exception {
        double trainSec = DjlBench.prop("bench.trainSeconds", 20);
        double inferSec = DjlBench.prop("bench.inferSeconds", 20);
        int trainWarm = (int) DjlBench.prop("bench.trainWarmup", 5);
        int inferWarm = (int) DjlBench.prop("bench.inferWarmup", 20);
        int[] trainBatches = DjlBench.ints("bench.trainBatches", "32,64,128");
        // Empty: training only (the peer's own DjlBench always infers).
        int[] inferBatches = System.getProperty("bench.inferBatches", "1,64").isBlank()
                ? new int[0] : DjlBench.ints("bench.inferBatches", "1,64");
        Measure.configure();
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(42);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("engine_version", engine.getVersion());

        List<Object> train = new ArrayList<>();
        Model keep = null;
        for (int bi = 0; bi < trainBatches.length; bi++) {
            int bs = trainBatches[bi];
            Proc.resetPeak();
            Model model = Model.newInstance("resnet20-" + bs, Device.cpu(), "PyTorch");
            model.setBlock(net());
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                    .optDevices(new Device[] {Device.cpu()});
            Map<String, Object> r;
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(new Shape(bs, Net.C, Net.H, Net.W));
                if (bi == 0) {
                    out.put("params", model.getBlock().getParameters().values().stream()
                            .mapToLong(p -> p.getArray().size()).sum());
                }
                r = TrainThroughput.measure("resnet20", trainer, model.getNDManager(), bs, trainWarm, trainSec);
            }
            train.add(r);
            if (bi == trainBatches.length - 1) {
                keep = model;
            } else {
                model.close();
            }
        }
        out.put("train", train);

        List<Object> infer = new ArrayList<>();
        SequentialBlock net = (SequentialBlock) keep.getBlock();
        ParameterStore ps = new ParameterStore(keep.getNDManager(), false);
        for (int bs : inferBatches) {
            NDManager dm = keep.getNDManager().newSubManager();
            int nb = Math.max(1, Math.min(64, DjlBench.N_IMAGES / bs));
            NDArray[] xs = new NDArray[nb];
            for (int i = 0; i < nb; i++) {
                xs[i] = dm.randomUniform(0f, 1f, new Shape(bs, Net.C, Net.H, Net.W));
            }
            for (int i = 0; i < inferWarm; i++) {
                DjlBench.forward(net, ps, xs[i % nb]);
            }
            Map<String, Object> mr = Measure.run(i -> DjlBench.forward(net, ps, xs[i % nb]), bs, inferSec, 0);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("batch", bs);
            r.putAll(mr);
            infer.add(r);
            DjlBench.log("resnet20 infer " + Json.write(r));
            dm.close();
        }
        out.put("infer", infer);
        keep.close();
        System.out.println(Json.write(Map.of("resnet20", out)));
    }
}
