package dev.cnnlab.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JSON objects of the Open Inference Protocol (KServe V2) REST API, named as its
 * {@code inference_rest.md} names them (registered for native reflection).
 */
public final class V2Dto {
    private V2Dto() {
    }

    /** {@code $metadata_server_response}. */
    @RegisterForReflection
    public record ServerMetadata(String name, String version, List<String> extensions) {
    }

    /** {@code $live_server_response}. */
    @RegisterForReflection
    public record ServerLive(boolean live) {
    }

    /**
     * {@code $ready_server_response}: the spec's schema says {@code live} (a copy of the live
     * schema), KServe's servers answer {@code ready}; both are given.
     */
    @RegisterForReflection
    public record ServerReady(boolean live, boolean ready) {
    }

    /** {@code $ready_model_response}. */
    @RegisterForReflection
    public record ModelReady(String name, boolean ready) {
    }

    /** {@code $metadata_tensor}: -1 marks the variable batch dimension. */
    @RegisterForReflection
    public record TensorMetadata(String name, String datatype, long[] shape) {
    }

    /** {@code $metadata_model_response}. */
    @RegisterForReflection
    public record ModelMetadata(String name, List<String> versions, String platform,
            List<TensorMetadata> inputs, List<TensorMetadata> outputs) {
    }

    /** {@code $inference_request}. */
    @RegisterForReflection
    public record InferRequest(String id, Map<String, Object> parameters,
            List<RequestInput> inputs, List<RequestOutput> outputs) {
    }

    /** {@code $inference_request_input}; {@code data} nested or flat, read into one array. */
    @RegisterForReflection
    public record RequestInput(String name, long[] shape, String datatype,
            Map<String, Object> parameters,
            @JsonDeserialize(using = TensorDataReader.class) TensorData data) {
    }

    /** {@code $inference_request_output}. */
    @RegisterForReflection
    public record RequestOutput(String name, Map<String, Object> parameters) {
    }

    /** {@code $inference_response}; {@code id} only when the request had one. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InferResponse(@JsonProperty("model_name") String modelName,
            @JsonProperty("model_version") String modelVersion, String id,
            List<ResponseOutput> outputs) {
    }

    /** {@code $response_output}: {@code data} is a {@code float[]} or a list of strings. */
    @RegisterForReflection
    public record ResponseOutput(String name, long[] shape, String datatype, Object data) {
    }

    /** {@code $inference_error_response} and the other error objects of the spec. */
    @RegisterForReflection
    public record ErrorBody(String error) {
    }

    /**
     * A tensor's {@code data}, its elements in row-major order whatever the nesting: numbers as
     * floats (FP32), strings (BYTES), and a count of booleans (which no input here takes); or
     * the tensor's binary data: floats, or BYTES elements.
     */
    public static final class TensorData {
        private float[] numbers = new float[1024];
        private int numberCount;
        private final List<String> strings = new ArrayList<>();
        // BYTES elements sent as binary data (the binary tensor data extension)
        private final List<byte[]> elements = new ArrayList<>();
        private int booleanCount;

        void add(float value) {
            if (numberCount == numbers.length) {
                numbers = Arrays.copyOf(numbers, numbers.length * 2);
            }
            numbers[numberCount++] = value;
        }

        /** A copy of the numbers {@code from} (inclusive) to {@code to} (exclusive). */
        public float[] numbers(int from, int to) {
            if (to > numberCount) {
                throw new IndexOutOfBoundsException(to + " > " + numberCount);
            }
            return Arrays.copyOfRange(numbers, from, to);
        }

        void setNumbers(float[] values) {
            numbers = values;
            numberCount = values.length;
        }

        public List<byte[]> elements() {
            return elements;
        }

        public int numberCount() {
            return numberCount;
        }

        public List<String> strings() {
            return strings;
        }

        public int booleanCount() {
            return booleanCount;
        }

        public int size() {
            return numberCount + strings.size() + elements.size() + booleanCount;
        }
    }

    /**
     * Streams a {@code data} array into {@link TensorData} without building a JSON tree (a
     * batch of FP32 images is a million numbers in a 10 MB body).
     */
    @RegisterForReflection
    public static final class TensorDataReader extends StdDeserializer<TensorData> {
        public TensorDataReader() {
            super(TensorData.class);
        }

        @Override
        public TensorData deserialize(JsonParser p, DeserializationContext ctx)
                throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw JsonMappingException.from(p, "\"data\" must be a JSON array, got "
                        + p.currentToken());
            }
            TensorData data = new TensorData();
            int depth = 0;
            JsonToken t = p.currentToken();
            while (true) {
                if (t == null) {
                    throw JsonMappingException.from(p, "\"data\" array not closed");
                }
                switch (t) {
                    case START_ARRAY -> depth++;
                    case END_ARRAY -> depth--;
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> data.add(p.getFloatValue());
                    case VALUE_STRING -> data.strings.add(p.getText());
                    case VALUE_TRUE, VALUE_FALSE -> data.booleanCount++;
                    default -> throw JsonMappingException.from(p, "\"data\" may hold numbers,"
                            + " strings, booleans and arrays of them, got " + t);
                }
                if (depth == 0) {
                    return data;
                }
                t = p.nextToken();
            }
        }
    }
}
