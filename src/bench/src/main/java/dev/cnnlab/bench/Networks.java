package dev.cnnlab.bench;

import dev.cnnlab.inference.nn.CnnModel;
import dev.cnnlab.training.arch.Architectures;
import dev.cnnlab.training.arch.NetworkBuilder;
import dev.cnnlab.training.export.ExportInfo;
import dev.cnnlab.training.export.ModelExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Nesterovs;

/** The benchmarked networks: cnnlab's DL4J build of an architecture, and its pure-Java export. */
final class Networks {
    /** Seed of every benchmarked network's weights. */
    static final long SEED = 42;

    private Networks() {
    }

    /**
     * Builds the DL4J network of a built-in architecture with the optimizer the peer trains it with: Nesterov
     * SGD (momentum 0.85, as its recipe; learning rate 0.01) for airbench94, Adam 1e-3 for the others.
     */
    static ComputationGraph dl4j(String architecture) {
        if (architecture.equals("airbench94")) {
            return NetworkBuilder.build(Architectures.get(architecture), new Nesterovs(0.01, 0.85), 0, SEED);
        }
        return NetworkBuilder.build(Architectures.get(architecture), SEED);
    }

    /** Exports a DL4J network to the pure-Java engine: same graph, same weights, no normalization. */
    static CnnModel pureJava(ComputationGraph net, String architecture) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < Architectures.get(architecture).numClasses(); i++) {
            labels.add("class" + i);
        }
        ExportInfo info = new ExportInfo(architecture, architecture, new float[3], new float[] {1, 1, 1}, labels,
                Map.of("source", "cnnlab-bench"));
        return CnnModel.of(ModelExporter.export(net, info));
    }
}
