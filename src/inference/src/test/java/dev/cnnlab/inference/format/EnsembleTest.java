package dev.cnnlab.inference.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.nn.CnnModel;
import dev.cnnlab.inference.nn.TestNets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnsembleTest {

    @Test
    void theMergedFileGivesTheSoftmaxOfTheMembersMeanLogits() {
        List<ModelArchive> members = List.of(TestNets.smallCnn(1), TestNets.smallCnn(2), TestNets.smallCnn(3));
        ModelArchive merged = Ensemble.of("trio", members);
        ModelArchive read = ModelFile.parse(ModelFile.toBytes(merged.metadata(), merged.tensors().values()), null);
        CnnModel ensemble = CnnModel.of(read);
        List<CnnModel> nets = members.stream().map(CnnModel::of).toList();
        Random rnd = new Random(7);
        for (int image = 0; image < 5; image++) {
            float[] x = new float[3 * 32 * 32];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            // log(softmax(z)) is z minus a constant, so the mean of the members' log-probabilities
            // has the softmax of their mean logits
            double[] meanLog = new double[10];
            for (CnnModel net : nets) {
                float[] p = net.predict(x);
                for (int c = 0; c < 10; c++) {
                    meanLog[c] += Math.log(p[c]) / nets.size();
                }
            }
            double max = java.util.Arrays.stream(meanLog).max().orElseThrow();
            double sum = java.util.Arrays.stream(meanLog).map(v -> Math.exp(v - max)).sum();
            float[] got = ensemble.predict(x);
            for (int c = 0; c < 10; c++) {
                assertEquals(Math.exp(meanLog[c] - max) / sum, got[c], 1e-5, "image " + image + " class " + c);
            }
        }
        ModelMetadata m = read.metadata();
        assertEquals("3x test", m.architecture());
        assertEquals("3x test", m.provenance().get("architecture"));
        assertEquals(3 * (members.get(0).metadata().graph().size() - 1) + 2, m.graph().size());
        assertEquals(3 * members.get(0).tensors().size(), read.tensors().size());
        assertEquals(members.get(0).metadata().labels(), m.labels());
        assertEquals("test-net (test); test-net (test); test-net (test)", m.provenance().get("ensemble"));
    }

    @Test
    void refusesMembersThatCannotBeAveraged() {
        ModelArchive a = TestNets.smallCnn(1);
        String one = assertThrows(IllegalArgumentException.class, () -> Ensemble.of("e", List.of(a)))
                .getMessage();
        assertTrue(one.contains("at least 2 models, got 1"), one);
        String shape = assertThrows(IllegalArgumentException.class,
                () -> Ensemble.of("e", List.of(a, TestNets.everyOp(2)))).getMessage();
        assertTrue(shape.contains("model 1 (test-net) reads input [3, 12, 12]"), shape);
        ModelArchive noDense = new TestNets(3, 3, 32, 32).conv("conv", "input", 3, 10, 3, 1, 1, 1, 1, 1)
                .op("gap", "globalavgpool", "conv").op("softmax", "softmax", "gap").archive(10);
        String end = assertThrows(IllegalArgumentException.class,
                () -> Ensemble.of("e", List.of(a, noDense))).getMessage();
        assertTrue(end.contains("must end in dense then softmax") && end.contains("reading 'gap'"), end);
        ModelMetadata m = a.metadata();
        ModelMetadata relabelled = new ModelMetadata(m.name(), m.architecture(), m.inputShape(), m.mean(), m.std(),
                List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), m.graph(), Map.of());
        String labels = assertThrows(IllegalArgumentException.class, () -> Ensemble.of("e",
                List.of(a, new ModelArchive(1, relabelled, a.tensors(), "")))).getMessage();
        assertTrue(labels.contains("model 1 (test-net) has labels [a, b"), labels);
    }
}
