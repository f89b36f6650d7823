package dev.cnnlab.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import dev.cnnlab.onnx.proto.Onnx.AttributeProto;
import dev.cnnlab.onnx.proto.Onnx.AttributeProto.AttributeType;
import dev.cnnlab.onnx.proto.Onnx.NodeProto;
import dev.cnnlab.onnx.proto.Onnx.TensorProto;

/** Small helpers over the generated {@code onnx.proto} builders: attributes, nodes, tensors. */
final class Onnx {
    private Onnx() {
    }

    static AttributeProto ints(String name, int... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (int v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build();
    }

    static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(value).build();
    }

    static NodeProto node(String op, String name, String[] inputs, String output, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
        for (String in : inputs) {
            n.addInput(in);
        }
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }

    /** A float tensor with little-endian raw data. */
    static TensorProto floats(String name, int[] shape, float[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(b.array()));
        for (int d : shape) {
            t.addDims(d);
        }
        return t.build();
    }

    /** An int64 tensor (shapes, axes), stored in {@code int64_data}. */
    static TensorProto longs(String name, long... data) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.INT64_VALUE).addDims(data.length);
        for (long v : data) {
            t.addInt64Data(v);
        }
        return t.build();
    }
}
