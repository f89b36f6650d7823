package dev.cnnlab.inference.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;

/** Writes the bytes of a version-1 file: header length, padded JSON header, F32 tensors. */
final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {
    }

    static byte[] toBytes(ModelMetadata metadata, Collection<Tensor> tensors) {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        meta.put(ModelFile.VERSION_KEY, Integer.toString(ModelFile.FORMAT_VERSION));
        meta.put(ModelFile.MODEL_KEY, MetadataCodec.toJson(metadata));
        long offset = 0;
        for (Tensor t : tensors) {
            if (header.has(t.name()) || t.name().equals("__metadata__")) {
                throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
            }
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", "F32");
            ArrayNode shape = e.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            e.putArray("data_offsets").add(offset).add(offset + 4L * t.data().length);
            offset += 4L * t.data().length;
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
        for (Tensor t : tensors) {
            buf.asFloatBuffer().put(t.data());
            buf.position(buf.position() + 4 * t.data().length);
        }
        return buf.array();
    }
}
