package dev.cnnlab.inference.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.nn.TestNets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void rejectsBadArgumentsNamingThem(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ConvertModel.run(new String[] {"--dtype", "int8", "a", "b"}));
        assertTrue(e.getMessage().contains("'int8'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvertModel.run(new String[] {"--dtype", "f16", "a"}));
        assertTrue(e.getMessage().contains("--dtype f16 a"), e.getMessage());
    }
}
