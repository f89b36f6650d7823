package dev.cnnlab.inference.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnlab.inference.nn.TestNets;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static byte[] smallCnnBytes() {
        ModelArchive a = TestNets.smallCnn(3);
        return ModelFile.toBytes(a.metadata(), a.tensors().values());
    }

    /** Rewrites the JSON header of a valid file, keeping the data section. */
    static byte[] withHeader(byte[] file, UnaryOperator<ObjectNode> edit) throws Exception {
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int len = (int) buf.getLong(0);
        ObjectNode header = (ObjectNode) JSON.readTree(new String(file, 8, len, StandardCharsets.UTF_8));
        byte[] json = JSON.writeValueAsBytes(edit.apply(header));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.write(json);
        out.write(file, 8 + len, file.length - 8 - len);
        return out.toByteArray();
    }

    /** Rewrites the model description (the JSON inside {@code cnnlab.model}) of a valid file. */
    static byte[] withModelJson(byte[] file, UnaryOperator<String> edit) throws Exception {
        return withHeader(file, h -> {
            ObjectNode meta = (ObjectNode) h.get("__metadata__");
            meta.put(ModelFile.MODEL_KEY, edit.apply(meta.get(ModelFile.MODEL_KEY).asText()));
            return h;
        });
    }

    @Test
    void roundTripsMetadataAndTensors(@TempDir Path dir) throws Exception {
        ModelArchive a = TestNets.smallCnn(3);
        String sha = ModelFile.write(dir.resolve("model.safetensors"), a.metadata(),
                a.tensors().values());
        ModelArchive b = ModelFile.read(dir, sha);
        assertEquals(ModelFile.FORMAT_VERSION, b.formatVersion());
        assertEquals(sha, b.sha256());
        assertEquals(a.metadata().labels(), b.metadata().labels());
        assertEquals(a.metadata().graph(), b.metadata().graph());
        assertEquals(a.metadata().provenance(), b.metadata().provenance());
        assertArrayEquals(a.metadata().mean(), b.metadata().mean());
        assertArrayEquals(a.metadata().inputShape(), b.metadata().inputShape());
        assertEquals(a.tensors().keySet(), b.tensors().keySet());
        for (Tensor t : a.tensors().values()) {
            assertArrayEquals(t.shape(), b.tensor(t.name()).shape());
            assertArrayEquals(t.data(), b.tensor(t.name()).data(), 0f);
        }
        assertEquals(0, (Files.size(dir.resolve("model.safetensors")) - 8 - ByteBuffer
                .wrap(Files.readAllBytes(dir.resolve("model.safetensors")))
                .order(ByteOrder.LITTLE_ENDIAN).getLong(0)) % 4, "data section is 4-aligned");
    }

    @Test
    void rejectsUnknownVersionNamingIt() throws Exception {
        byte[] v2 = withHeader(smallCnnBytes(), h -> {
            ((ObjectNode) h.get("__metadata__")).put(ModelFile.VERSION_KEY, "2");
            return h;
        });
        var e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(v2, null));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void rejectsFileWithoutCnnlabMetadata() throws Exception {
        byte[] plain = withHeader(smallCnnBytes(), h -> {
            h.remove("__metadata__");
            return h;
        });
        var e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(plain, null));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
    }

    @Test
    void rejectsTruncatedFiles() {
        byte[] good = smallCnnBytes();
        for (int cut : new int[] {0, 5, 20, good.length - 1}) {
            byte[] bad = Arrays.copyOf(good, cut);
            var e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(bad, null));
            assertTrue(e.getMessage().contains("truncated"), cut + ": " + e.getMessage());
        }
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] bad = Arrays.copyOf(smallCnnBytes(), smallCnnBytes().length + 4);
        var e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(bad, null));
        assertTrue(e.getMessage().contains("4 unexpected bytes"), e.getMessage());
    }

    @Test
    void rejectsOffsetsThatDisagreeWithShape() throws Exception {
        byte[] bad = withHeader(smallCnnBytes(), h -> {
            ((ObjectNode) h.get("conv1.bias")).putArray("shape").add(9);
            return h;
        });
        var e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(bad, null));
        assertTrue(e.getMessage().contains("conv1.bias") && e.getMessage().contains("[9]"),
                e.getMessage());
    }

    @Test
    void rejectsOverlappingOffsets() throws Exception {
        byte[] bad = withHeader(smallCnnBytes(), h -> {
            ObjectNode bias = (ObjectNode) h.get("conv1.bias");
            long begin = h.get("conv1.weight").get("data_offsets").get(0).asLong();
            bias.putArray("data_offsets").add(begin).add(begin + 32);
            return h;
        });
        var e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(bad, null));
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
    }

    @Test
    void rejectsUnsupportedDtypeNamingTensorAndDtype() throws Exception {
        byte[] bad = withHeader(smallCnnBytes(), h -> {
            ((ObjectNode) h.get("conv1.bias")).put("dtype", "BF16");
            return h;
        });
        var e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(bad, null));
        assertTrue(e.getMessage().contains("'conv1.bias'") && e.getMessage().contains("'BF16'"),
                e.getMessage());
    }

    @Test
    void roundTripsF16WeightsRoundedToNearestAndKeepsVectorsF32() throws Exception {
        ModelArchive a = TestNets.smallCnn(3);
        byte[] f16 = ModelFile.toBytes(a.metadata(), a.tensors().values(), Dtype.F16);
        ModelArchive b = ModelFile.parse(f16, null);
        assertEquals(a.metadata().graph(), b.metadata().graph());
        assertEquals(ModelFile.FORMAT_VERSION, b.formatVersion());
        long weightValues = 0;
        for (Tensor t : a.tensors().values()) {
            float[] read = b.tensor(t.name()).data();
            assertArrayEquals(t.shape(), b.tensor(t.name()).shape());
            if (t.shape().length >= 2) {
                weightValues += t.data().length;
                for (int i = 0; i < read.length; i++) {
                    assertEquals(Half.toFloat(Half.fromFloat(t.data()[i])), read[i], t.name());
                    // half a unit in the last place: 2^-11 relative, 2^-25 below 2^-14
                    float ulpHalf = Math.max(Math.abs(t.data()[i]) * 0x1p-11f, 0x1p-25f);
                    assertEquals(t.data()[i], read[i], ulpHalf, t.name());
                }
            } else {
                assertArrayEquals(t.data(), read, 0f, t.name());
            }
        }
        var header = JSON.readTree(new String(f16, 8, (int) ByteBuffer.wrap(f16)
                .order(ByteOrder.LITTLE_ENDIAN).getLong(0), StandardCharsets.UTF_8));
        assertEquals("F16", header.at("/conv1.weight/dtype").asText());
        assertEquals("F32", header.at("/conv1.bias/dtype").asText());
        assertEquals(2 * weightValues, smallCnnBytes().length - f16.length);
    }

    @Test
    void refusesWeightThatWouldOverflowF16NamingTensor() {
        ModelArchive a = TestNets.smallCnn(3);
        a.tensor("conv2.weight").data()[5] = 65510f; // rounds to 65504, the largest half
        ModelArchive b = ModelFile.parse(
                ModelFile.toBytes(a.metadata(), a.tensors().values(), Dtype.F16), null);
        assertEquals(65504f, b.tensor("conv2.weight").data()[5]);
        a.tensor("conv2.weight").data()[5] = -70000f;
        var e = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.toBytes(a.metadata(), a.tensors().values(), Dtype.F16));
        assertTrue(e.getMessage().contains("'conv2.weight'") && e.getMessage().contains("-70000")
                && e.getMessage().contains("index 5"), e.getMessage());
        // vectors stay F32, so a large batch-norm variance is fine
        a.tensor("conv2.weight").data()[5] = 0f;
        a.tensor("bn1.var").data()[0] = 1e6f;
        assertEquals(1e6f, ModelFile.parse(ModelFile.toBytes(a.metadata(), a.tensors().values(),
                Dtype.F16), null).tensor("bn1.var").data()[0]);
    }

    @Test
    void rejectsNonFiniteF16Weights() {
        ModelArchive a = TestNets.smallCnn(3);
        a.tensor("dense.weight").data()[7] = Float.NEGATIVE_INFINITY;
        byte[] bad = ModelFile.toBytes(a.metadata(), a.tensors().values(), Dtype.F16);
        var e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(bad, null));
        assertTrue(e.getMessage().contains("dense.weight") && e.getMessage().contains("Infinity")
                && e.getMessage().contains("index 7"), e.getMessage());
    }

    @Test
    void rejectsF16DtypeOverF32Bytes() throws Exception {
        byte[] bad = withHeader(smallCnnBytes(), h -> {
            ((ObjectNode) h.get("conv1.bias")).put("dtype", "F16");
            return h;
        });
        var e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(bad, null));
        assertTrue(e.getMessage().contains("conv1.bias") && e.getMessage().contains("needs 16 bytes"),
                e.getMessage());
    }

    @Test
    void parsesWeightDtypeNames() {
        assertEquals(Dtype.F16, Dtype.parse("f16"));
        assertEquals(Dtype.F32, Dtype.parse("F32"));
        var e = assertThrows(IllegalArgumentException.class, () -> Dtype.parse("bf16"));
        assertTrue(e.getMessage().contains("'bf16'"), e.getMessage());
    }

    @Test
    void storesTestTimeAugmentationOnlyWhenThereIsOne(@TempDir Path dir) throws Exception {
        ModelArchive a = TestNets.smallCnn(3);
        assertEquals(TestTimeAugmentation.NONE, a.metadata().testTime());
        assertTrue(!new String(smallCnnBytes(), StandardCharsets.UTF_8).contains("testTimeAugmentation"),
                "a file without it reads the same in every version-1 reader");
        ModelFile.write(dir.resolve("m.safetensors"), a.metadata().with(a.metadata().provenance(),
                TestTimeAugmentation.HFLIP), a.tensors().values());
        ModelArchive b = ModelFile.read(dir.resolve("m.safetensors"));
        assertEquals(TestTimeAugmentation.HFLIP, b.metadata().testTime());
        assertEquals(a.metadata().graph(), b.metadata().graph());
        assertEquals(a.metadata().provenance(), b.metadata().provenance());
    }

    @Test
    void rejectsUnknownTestTimeAugmentationNamingIt() throws Exception {
        byte[] bad = withModelJson(smallCnnBytes(), json -> json.replace("\"provenance\":",
                "\"testTimeAugmentation\":\"rot90\",\"provenance\":"));
        var e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(bad, null));
        assertTrue(e.getMessage().contains("unknown test-time augmentation 'rot90'"), e.getMessage());
    }

    @Test
    void rejectsUnknownOp() throws Exception {
        byte[] bad = withModelJson(smallCnnBytes(),
                json -> json.replace("\"op\":\"globalavgpool\"", "\"op\":\"lstm\""));
        var e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(bad, null));
        assertTrue(e.getMessage().contains("unknown op 'lstm'"), e.getMessage());
    }

    @Test
    void rejectsCorruptedFileWhenShaGiven() {
        byte[] good = smallCnnBytes();
        String sha = ModelFile.sha256(good);
        byte[] bad = good.clone();
        bad[bad.length - 3] ^= 0x10;
        var e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(bad, sha));
        assertTrue(e.getMessage().contains("sha256 mismatch") && e.getMessage().contains(sha),
                e.getMessage());
        assertEquals(sha, ModelFile.parse(good, sha.toUpperCase()).sha256());
    }

    @Test
    void rejectsNonFiniteWeights() {
        ModelArchive a = TestNets.smallCnn(3);
        a.tensor("dense.bias").data()[2] = Float.NaN;
        byte[] bad = ModelFile.toBytes(a.metadata(), a.tensors().values());
        var e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(bad, null));
        assertTrue(e.getMessage().contains("dense.bias") && e.getMessage().contains("NaN"),
                e.getMessage());
    }

    @Test
    void rejectsNonSafetensorsBytes() {
        byte[] text = "hello, this is not a model file at all".getBytes(StandardCharsets.UTF_8);
        var e = assertThrows(ModelFormatException.class, () -> ModelFile.parse(text, null));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }
}
