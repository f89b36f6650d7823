package dev.cnnlab.inference.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.nn.TestNets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertModelTest {

    @Test
    void convertsToF16AndBackKeepingMetadataAndHalfRoundedValues(@TempDir Path dir)
            throws Exception {
        ModelArchive a = TestNets.smallCnn(5);
        ModelFile.write(dir.resolve("m/model.safetensors"), a.metadata(), a.tensors().values());
        String line = ConvertModel.run(new String[] {"--dtype", "f16", dir.resolve("m").toString(),
            dir.resolve("half.safetensors").toString()});
        ModelArchive half = ModelFile.read(dir.resolve("half.safetensors"));
        assertTrue(line.contains("F16 weights") && line.contains(half.sha256()), line);
        assertEquals(a.metadata().graph(), half.metadata().graph());
        assertEquals(a.metadata().provenance(), half.metadata().provenance());
        for (Tensor t : a.tensors().values()) {
            for (int i = 0; i < t.data().length; i++) {
                float expected = t.shape().length >= 2
                        ? Half.toFloat(Half.fromFloat(t.data()[i])) : t.data()[i];
                assertEquals(expected, half.tensor(t.name()).data()[i], t.name() + " " + i);
            }
        }
        ConvertModel.run(new String[] {"--dtype", "F32", dir.resolve("half.safetensors").toString(),
            dir.resolve("back.safetensors").toString()});
        ModelArchive back = ModelFile.read(dir.resolve("back.safetensors"));
        for (Tensor t : half.tensors().values()) {
            assertArrayEquals(t.data(), back.tensor(t.name()).data(), 0f, t.name());
        }
        assertEquals(Files.size(dir.resolve("m/model.safetensors")),
                Files.size(dir.resolve("back.safetensors")));
    }

    @Test
    void setsProvenanceEntries(@TempDir Path dir) throws Exception {
        ModelArchive a = TestNets.smallCnn(5);
        ModelFile.write(dir.resolve("m.safetensors"), a.metadata(), a.tensors().values());
        ConvertModel.run(new String[] {"--dtype", "f32", "--set", "accuracy=0.8012", "--set", "note=a=b",
            "--set", "runId=7", dir.resolve("m.safetensors").toString(), dir.resolve("t.safetensors").toString()});
        ModelArchive tagged = ModelFile.read(dir.resolve("t.safetensors"));
        assertEquals(Map.of("accuracy", "0.8012", "note", "a=b", "runId", "7"), tagged.metadata().provenance());
        assertEquals("test", a.metadata().provenance().get("runId")); // replaced above, kept otherwise
        for (Tensor t : a.tensors().values()) {
            assertArrayEquals(t.data(), tagged.tensor(t.name()).data(), 0f, t.name());
        }
    }

    @Test
    void setsTestTimeAugmentationAndKeepsItWhenNotGiven(@TempDir Path dir) throws Exception {
        ModelArchive a = TestNets.smallCnn(5);
        ModelFile.write(dir.resolve("m.safetensors"), a.metadata(), a.tensors().values());
        ConvertModel.run(new String[] {"--dtype", "f16", "--test-time", "hflip", "--set", "accuracy=0.9",
            dir.resolve("m.safetensors").toString(), dir.resolve("flip.safetensors").toString()});
        ModelArchive flip = ModelFile.read(dir.resolve("flip.safetensors"));
        assertEquals(TestTimeAugmentation.HFLIP, flip.metadata().testTime());
        assertEquals("0.9", flip.metadata().provenance().get("accuracy"));
        ConvertModel.run(new String[] {"--dtype", "f32", dir.resolve("flip.safetensors").toString(),
            dir.resolve("kept.safetensors").toString()});
        assertEquals(TestTimeAugmentation.HFLIP, ModelFile.read(dir.resolve("kept.safetensors")).metadata().testTime());
        ConvertModel.run(new String[] {"--dtype", "f32", "--test-time", "none",
            dir.resolve("flip.safetensors").toString(), dir.resolve("plain.safetensors").toString()});
        assertEquals(TestTimeAugmentation.NONE, ModelFile.read(dir.resolve("plain.safetensors")).metadata().testTime());
    }

    @Test
    void setsHflipTranslateAndNamesTheKnownValuesForABadOne(@TempDir Path dir) throws Exception {
        ModelArchive a = TestNets.smallCnn(5);
        ModelFile.write(dir.resolve("m.safetensors"), a.metadata(), a.tensors().values());
        ConvertModel.run(new String[] {"--dtype", "f32", "--test-time", "hflip-translate",
            dir.resolve("m.safetensors").toString(), dir.resolve("t.safetensors").toString()});
        ModelArchive t = ModelFile.read(dir.resolve("t.safetensors"));
        assertEquals(TestTimeAugmentation.HFLIP_TRANSLATE, t.metadata().testTime());
        assertEquals(1, t.formatVersion());
        var e = assertThrows(IllegalArgumentException.class, () -> ConvertModel.run(new String[] {
            "--dtype", "f32", "--test-time", "translate", dir.resolve("m.safetensors").toString(),
            dir.resolve("x.safetensors").toString()}));
        assertEquals("unknown test-time augmentation 'translate' (known: [none, hflip, hflip-translate])",
                e.getMessage());
        assertTrue(ConvertModel.USAGE.contains("--test-time none|hflip|hflip-translate"), ConvertModel.USAGE);
    }

    @Test
    void mergesEnsembleMembersIntoOneFile(@TempDir Path dir) throws Exception {
        for (int seed = 1; seed <= 3; seed++) {
            ModelArchive a = TestNets.smallCnn(seed);
            ModelFile.write(dir.resolve(seed + ".safetensors"), a.metadata(), a.tensors().values());
        }
        ConvertModel.run(new String[] {"--dtype", "f16", "--test-time", "hflip", "--ensemble",
            dir.resolve("2.safetensors").toString(), "--ensemble", dir.resolve("3.safetensors").toString(),
            "--set", "accuracy=0.9", dir.resolve("1.safetensors").toString(), dir.resolve("e.safetensors").toString()});
        ModelMetadata m = ModelFile.read(dir.resolve("e.safetensors")).metadata();
        assertEquals("test-net-ensemble3", m.name());
        assertEquals("3x test", m.architecture());
        assertEquals(TestTimeAugmentation.HFLIP, m.testTime());
        assertEquals("0.9", m.provenance().get("accuracy"));
        String sha1 = ModelFile.read(dir.resolve("1.safetensors")).sha256();
        assertTrue(m.provenance().get("ensemble").startsWith("test-net (test, sha256 " + sha1 + "); test-net"),
                m.provenance().get("ensemble"));
        var e = assertThrows(java.nio.file.NoSuchFileException.class, () -> ConvertModel.run(new String[] {
            "--dtype", "f16", "--ensemble", dir.resolve("missing.safetensors").toString(),
            dir.resolve("1.safetensors").toString(), dir.resolve("x.safetensors").toString()}));
        assertTrue(e.getMessage().contains("missing.safetensors"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("x.safetensors")));
    }

    @Test
    void rejectsBadArgumentsNamingThem(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ConvertModel.run(new String[] {"--dtype", "int8", "a", "b"}));
        assertTrue(e.getMessage().contains("'int8'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvertModel.run(new String[] {"--dtype", "f16", "a"}));
        assertTrue(e.getMessage().contains("--dtype f16 a"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvertModel.run(new String[] {"--dtype", "f16", "--set", "accuracy", "a", "b"}));
        assertTrue(e.getMessage().contains("--set accuracy"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvertModel.run(new String[] {"--dtype", "f16", "--test-time", "rot90", "a", "b"}));
        assertTrue(e.getMessage().contains("'rot90'"), e.getMessage());
    }
}
