package dev.cnnlab.inference.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes the bytes of a version-1 file: header length, padded JSON header, tensors. With
 * {@link Dtype#F16} weights, tensors of two or more dimensions (kernels, dense matrices) are
 * stored as F16 and vectors (biases, batch-norm parameters: a tiny share of the bytes, and
 * batch-norm variances may lie outside half's range) stay F32.
 */
final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {
    }

    static byte[] toBytes(ModelMetadata metadata, Collection<Tensor> tensors, Dtype weights) {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        meta.put(ModelFile.VERSION_KEY, Integer.toString(ModelFile.FORMAT_VERSION));
        meta.put(ModelFile.MODEL_KEY, MetadataCodec.toJson(metadata));
        List<Dtype> dtypes = new ArrayList<>();
        long offset = 0;
        for (Tensor t : tensors) {
            if (header.has(t.name()) || t.name().equals("__metadata__")) {
                throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
            }
            Dtype dtype = t.shape().length >= 2 ? weights : Dtype.F32;
            dtypes.add(dtype);
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", dtype.name());
            ArrayNode shape = e.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            long size = (long) dtype.bytes() * t.data().length;
            e.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write safetensors header", e);
        }
        // pad the header with spaces so the data section starts 8-byte aligned
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset))
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        int i = 0;
        for (Tensor t : tensors) {
            if (dtypes.get(i++) == Dtype.F16) {
                putHalves(buf, t);
            } else {
                buf.asFloatBuffer().put(t.data());
                buf.position(buf.position() + 4 * t.data().length);
            }
        }
        return buf.array();
    }

    /** Rounds a tensor to halves, refusing finite values that would become infinite. */
    private static void putHalves(ByteBuffer buf, Tensor t) {
        float[] data = t.data();
        for (int i = 0; i < data.length; i++) {
            if (Float.isFinite(data[i]) && Math.abs(data[i]) >= Half.OVERFLOW) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' holds " + data[i]
                        + " at index " + i + ", beyond F16's range (largest 65504): write F32");
            }
            buf.putShort(Half.fromFloat(data[i]));
        }
    }
}
