package dev.cnnlab.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.format.Ensemble;
import dev.cnnlab.inference.format.ModelArchive;
import dev.cnnlab.inference.format.ModelFile;
import dev.cnnlab.inference.format.TestTimeAugmentation;
import dev.cnnlab.inference.nn.CnnModel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;
import dev.cnnlab.onnx.proto.Onnx.ModelProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ONNX Runtime runs the exported graphs and agrees with {@link CnnModel} to 1e-4. */
class OnnxExporterTest {
    private static final Logger LOG = Logger.getLogger(OnnxExporterTest.class.getName());
    static final double TOLERANCE = 1e-4;

    static ModelArchive golden() throws Exception {
        try (InputStream in = ModelFile.class.getResourceAsStream("small-cnn-v1.safetensors")) {
            if (in == null) {
                // the inference module's test resources are not on this classpath: read the file
                return ModelFile.read(Path.of("../inference/src/test/resources/dev/cnnlab/inference/format/"
                        + "small-cnn-v1.safetensors"));
            }
            return ModelFile.read(in, null);
        }
    }

    static double check(String what, ModelArchive archive) throws Exception {
        ModelProto onnx = OnnxExporter.export(archive);
        CnnModel model = CnnModel.of(archive);
        float[][] x = Ort.inputs(model);
        double diff = Ort.maxDiff(Ort.run(onnx, x, model.metadata().inputShape()), model, x);
        LOG.info(String.format("%s: %d images, max abs difference ORT vs CnnModel %.2e", what, x.length, diff));
        assertTrue(diff <= TOLERANCE, what + ": " + diff);
        return diff;
    }

    @Test
    void goldenSmallModelMatches() throws Exception {
        check("small-cnn-v1", golden());
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "resnet20", "keras-cifar10"})
    void shippedModelsMatch(String dir) throws Exception {
        check(dir, ModelFile.read(Ort.models().resolve(dir)));
    }

    @Test
    void mirroredTestTimeAugmentationIsRepresented() throws Exception {
        ModelArchive a = ModelFile.read(Ort.models().resolve("resnet20"));
        for (TestTimeAugmentation t : OnnxExporter.EXPORTED_TEST_TIMES) {
            ModelArchive b = new ModelArchive(a.formatVersion(), a.metadata().with(a.metadata().provenance(), t),
                    a.tensors(), "");
            check("resnet20 " + t, b);
        }
    }

    @Test
    void refusesHflipTranslateNamingIt(@TempDir Path dir) throws Exception {
        ModelArchive g = golden();
        Path in = dir.resolve("translate.safetensors");
        ModelFile.write(in, g.metadata().with(g.metadata().provenance(), TestTimeAugmentation.HFLIP_TRANSLATE),
                g.tensors().values());
        Path out = dir.resolve("translate.onnx");
        var e = assertThrows(IllegalArgumentException.class,
                () -> OnnxConvert.run(new String[] {"--to-onnx", out.toString(), in.toString()}));
        assertTrue(e.getMessage().startsWith("test-time augmentation 'hflip-translate' has no ONNX form here"
                + " (written: [none, hflip])"), e.getMessage());
        assertTrue(Files.notExists(out), "nothing written");
    }

    @Test
    void ensembleMatches() throws Exception {
        ModelArchive g = golden();
        check("small-cnn-v1 x3", Ensemble.of("golden-ensemble", List.of(g, g, g)));
    }

    @Test
    void statesOpsetAndMetadata() throws Exception {
        ModelProto onnx = OnnxExporter.export(golden());
        assertEquals(OnnxExporter.OPSET, onnx.getOpsetImport(0).getVersion());
        assertEquals("input", onnx.getGraph().getInput(0).getName());
        assertEquals("output", onnx.getGraph().getOutput(0).getName());
        assertTrue(onnx.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals("cnnlab.labels")));
    }

    @Test
    void commandLineWritesAFileOrtLoads(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("resnet20.onnx");
        String line = OnnxConvert.run(new String[] {"--to-onnx", out.toString(), Ort.models().resolve("resnet20").toString()});
        assertTrue(line.contains("opset 17"), line);
        ModelProto onnx = ModelProto.parseFrom(Files.readAllBytes(out));
        CnnModel model = CnnModel.load(Ort.models().resolve("resnet20"));
        float[][] x = Ort.inputs(model);
        assertTrue(Ort.maxDiff(Ort.run(onnx, x, model.metadata().inputShape()), model, x) <= TOLERANCE);
    }

    @Test
    void commandLineRejectsBadArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxConvert.run(new String[] {"--to-onnnx", "a", "b"}));
        assertTrue(e.getMessage().contains("--to-onnnx"), e.getMessage());
    }
}
