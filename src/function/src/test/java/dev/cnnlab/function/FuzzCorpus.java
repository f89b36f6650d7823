package dev.cnnlab.function;

import static dev.cnnlab.function.FuzzBytes.concat;
import static dev.cnnlab.function.FuzzBytes.deflatedZeros;
import static dev.cnnlab.function.FuzzBytes.encode;
import static dev.cnnlab.function.FuzzBytes.form;
import static dev.cnnlab.function.FuzzBytes.picture;
import static dev.cnnlab.function.FuzzBytes.png;
import static dev.cnnlab.function.FuzzBytes.withChunk;

import dev.cnnlab.function.RawHttp.Framing;
import dev.cnnlab.function.RawHttp.Request;
import dev.cnnlab.inference.Predictor;
import dev.cnnlab.inference.image.ImageException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Malformed (and a few well-formed) requests to {@code POST /predict}, drawn from a seed, each
 * with the statuses a correct server may answer. Where a mangled image is sent, the inference
 * module decides the status here in the test: an image it decodes must get 200, one it refuses
 * the status of its exception. So a bit flip that still decodes is a legitimate 200.
 */
final class FuzzCorpus {
    /** One request and the statuses it may get. */
    record Case(String kind, Request request, Set<Integer> expected) {
    }

    private static final int LIMIT = ModelTestResource.MAX_BODY_BYTES;
    private static final String[] IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif",
        "application/octet-stream"};
    private static final byte[] PNG_32 = encode(picture(BufferedImage.TYPE_INT_RGB, 32, 32), "png",
            false);
    private static final byte[] TINY_PNG = encode(picture(BufferedImage.TYPE_INT_RGB, 1, 1), "png",
            false);
    // a valid PNG with a text or ICC profile chunk inflating to 100 MB, and a PNG declaring the
    // largest accepted size whose pixel data inflates to all of it
    private static final List<byte[]> BOMBS = List.of(
            withChunk(PNG_32, "zTXt", concat("comment\0\0".getBytes(StandardCharsets.ISO_8859_1),
                    deflatedZeros(100_000_000))),
            withChunk(PNG_32, "iCCP", concat("icc\0\0".getBytes(StandardCharsets.ISO_8859_1),
                    deflatedZeros(100_000_000))),
            png(8192, 4882, deflatedZeros(4882 * (1 + 3 * 8192))));
    private final Predictor local;
    private final Random rng;
    private final List<byte[]> valid = new ArrayList<>();

    FuzzCorpus(long seed) throws IOException {
        local = Predictor.load(ModelTestResource.MODEL);
        rng = new Random(seed);
        valid.add(PredictFunctionTest.image("jpeg", 48, 40, 1));
        valid.add(PNG_32);
        valid.add(encode(picture(BufferedImage.TYPE_INT_ARGB, 20, 30), "png", false));
        valid.add(encode(picture(BufferedImage.TYPE_BYTE_GRAY, 64, 16), "png", true));
        valid.add(encode(picture(BufferedImage.TYPE_USHORT_GRAY, 17, 9), "png", false));
        valid.add(encode(picture(BufferedImage.TYPE_BYTE_INDEXED, 33, 33), "png", false));
        valid.add(encode(picture(BufferedImage.TYPE_INT_RGB, 100, 70), "jpeg", true));
        valid.add(PredictFunctionTest.class.getResourceAsStream("/images/cifar-cat.jpg")
                .readAllBytes());
    }

    List<Case> draw(int n) {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cases.add(switch (i % 10) {
                case 0 -> image("random bytes", bytes(rng.nextInt(3) == 0 ? 200_000 : 2_000));
                case 1 -> image("magic + random", withMagic(bytes(5_000)));
                case 2 -> image("truncated image", truncated(pick()));
                case 3 -> image("bit flips", bitFlipped(pick()));
                case 4 -> rng.nextInt(10) == 0 ? image("compressed bomb", BOMBS.get(rng.nextInt(BOMBS.size())))
                        : image("huge declared size", hugeDeclared());
                case 5 -> wrongContentType();
                case 6 -> json();
                case 7 -> multipart();
                case 8 -> empty();
                default -> oversize();
            });
        }
        return cases;
    }

    // ---- image bodies, judged by the inference module run here

    private Case image(String kind, byte[] body) {
        String type = IMAGE_TYPES[rng.nextInt(IMAGE_TYPES.length)];
        Framing framing = rng.nextBoolean() ? Framing.LENGTH : Framing.CHUNKED;
        return new Case(kind, new Request("/predict", Map.of("Content-Type", type), body, framing),
                Set.of(expected(body)));
    }

    private int expected(byte[] image) {
        if (image.length > LIMIT) {
            return 413;
        }
        try {
            local.predict(image, 5);
            return 200;
        } catch (ImageException.UnsupportedFormat e) {
            return 415;
        } catch (ImageException.Corrupt e) {
            return 400;
        } catch (ImageException.TooLarge e) {
            return 413;
        }
    }

    private byte[] hugeDeclared() {
        int[][] sizes = {{65535, 65535}, {1, 100_000_000}, {100_000_000, 1}, {8193, 1},
            {8192, 4883}, {0, 10}, {Integer.MIN_VALUE, 5}, {8192, 4882}};
        int[] s = sizes[rng.nextInt(sizes.length)];
        if (rng.nextBoolean()) {
            return png(s[0], s[1], rng.nextBoolean() ? bytes(2_000) : new byte[0]);
        }
        // JPEG sizes are 16 bit; the largest legal ones, as baseline or progressive
        byte[] jpeg = valid.get(rng.nextBoolean() ? 0 : 6).clone();
        int w = Math.min(65535, Math.max(0, s[0]));
        int h = Math.min(65535, Math.max(0, s[1]));
        for (int i = 0; i + 8 < jpeg.length; i++) {
            int marker = jpeg[i + 1] & 0xff;
            if ((jpeg[i] & 0xff) == 0xFF && (marker == 0xC0 || marker == 0xC2)) {
                jpeg[i + 5] = (byte) (h >> 8);
                jpeg[i + 6] = (byte) h;
                jpeg[i + 7] = (byte) (w >> 8);
                jpeg[i + 8] = (byte) w;
                break;
            }
        }
        return jpeg;
    }

    // ---- other request shapes, with fixed expectations

    private Case wrongContentType() {
        String[][] types = {{"text/plain", "415"}, {"application/xml", "415"}, {"foo", "400"},
            {"image/", "400"}, {"application/x-www-form-urlencoded", "415"},
            {"multipart/form-data", "400"}, {"application/json", "400"}, {null, "415"}};
        String[] t = types[rng.nextInt(types.length)];
        Map<String, String> headers = t[0] == null ? Map.of() : Map.of("Content-Type", t[0]);
        return new Case("wrong content type " + t[0],
                new Request("/predict", headers, pick(), Framing.LENGTH),
                Set.of(Integer.parseInt(t[1])));
    }

    private Case json() {
        byte[] image = rng.nextBoolean() ? pick() : bitFlipped(pick());
        String b64 = Base64.getEncoder().encodeToString(image);
        String good = "{\"image\":\"" + b64 + "\"}";
        return switch (rng.nextInt(10)) {
            case 0 -> json("base64 image", good, expected(image));
            case 1 -> json("data URL", "{\"image\":\"data:image/png;base64," + b64 + "\"}",
                    expected(image));
            case 2 -> json("truncated JSON", good.substring(0, rng.nextInt(good.length() - 1)),
                    400);
            case 3 -> json("not base64", "{\"image\":\"=" + b64 + "\"}", 400);
            case 4 -> json("wrong type", new String[] {"{\"image\":{\"a\":1}}", "[1,2]", "\"x\"",
                "42", "null", "{}", "{\"image\":null}", "{\"image\":[1]}"}[rng.nextInt(8)], 400);
            case 5 -> json("deep nesting", "[".repeat(5_000) + "]".repeat(5_000), 400);
            case 6 -> json("huge string", "{\"image\":\"" + "A".repeat(LIMIT - 20) + "\"}", 415);
            case 7 -> new Case("invalid UTF-8", new Request("/predict",
                    Map.of("Content-Type", "application/json"), withMagic(bytes(300)),
                    Framing.LENGTH), Set.of(400));
            case 8 -> new Case("json number as image", new Request("/predict",
                    Map.of("Content-Type", "application/json"), ("{\"image\":" + rng.nextInt()
                    + "}").getBytes(StandardCharsets.UTF_8), Framing.LENGTH), Set.of(400, 415));
            default -> json("base64 of random bytes",
                    "{\"image\":\"" + Base64.getEncoder().encodeToString(bytes(3_000)) + "\"}",
                    415);
        };
    }

    private Case json(String kind, String body, int status) {
        return new Case("json " + kind, new Request("/predict",
                Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8),
                rng.nextBoolean() ? Framing.LENGTH : Framing.CHUNKED), Set.of(status));
    }

    private Case multipart() {
        byte[] image = rng.nextBoolean() ? pick() : bitFlipped(pick());
        String boundary = "b" + rng.nextInt(1_000_000);
        byte[] one = form(boundary, List.of(image));
        return switch (rng.nextInt(7)) {
            case 0 -> multipart("one file", boundary, one, expected(image));
            case 1 -> multipart("truncated", boundary,
                    Arrays.copyOf(one, rng.nextInt(one.length - 8)), 400);
            case 2 -> multipart("other boundary", "zz" + boundary, one, 400);
            case 3 -> multipart("no file part", boundary, ("--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--"
                    + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8), 400);
            case 4 -> multipart("too many files", boundary,
                    form(boundary, Collections.nCopies(33 + rng.nextInt(2_000), TINY_PNG)), 413);
            case 5 -> new Case("multipart without boundary", new Request("/predict",
                    Map.of("Content-Type", "multipart/form-data"), one, Framing.LENGTH),
                    Set.of(400));
            default -> multipart("random body", boundary, bytes(3_000), 400);
        };
    }

    private Case multipart(String kind, String boundary, byte[] body, int status) {
        return new Case("multipart " + kind, new Request("/predict",
                Map.of("Content-Type", "multipart/form-data; boundary=" + boundary), body,
                rng.nextBoolean() ? Framing.LENGTH : Framing.CHUNKED), Set.of(status));
    }

    private Case empty() {
        String[][] types = {{"image/png", "415"}, {"application/octet-stream", "415"},
            {"application/json", "400"}, {"multipart/form-data; boundary=x", "400"}, {null, "415"}};
        String[] t = types[rng.nextInt(types.length)];
        Map<String, String> headers = t[0] == null ? Map.of() : Map.of("Content-Type", t[0]);
        return new Case("empty " + t[0], new Request("/predict", headers, new byte[0],
                rng.nextBoolean() ? Framing.LENGTH : Framing.CHUNKED),
                Set.of(Integer.parseInt(t[1])));
    }

    private Case oversize() {
        byte[] body = new byte[LIMIT + 1 + rng.nextInt(65_536)];
        rng.nextBytes(body);
        Map<String, String> type = Map.of("Content-Type",
                new String[] {"image/png", "application/json", "multipart/form-data; boundary=x"}
                        [rng.nextInt(3)]);
        return switch (rng.nextInt(3)) {
            case 0 -> new Case("oversize", new Request("/predict", type, body, Framing.LENGTH),
                    Set.of(413));
            case 1 -> new Case("oversize chunked",
                    new Request("/predict", type, body, Framing.CHUNKED), Set.of(413));
            default -> new Case("declared 1 TB", new Request("/predict",
                    Map.of("Content-Type", "image/png", "Content-Length", "1000000000000"),
                    bytes(1_000), Framing.AS_DECLARED), Set.of(413));
        };
    }

    // ---- byte helpers

    private byte[] pick() {
        return valid.get(rng.nextInt(valid.size()));
    }

    private byte[] bytes(int max) {
        byte[] b = new byte[rng.nextInt(max + 1)];
        rng.nextBytes(b);
        return b;
    }

    private byte[] withMagic(byte[] tail) {
        return concat(rng.nextBoolean() ? new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}
                : new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, tail);
    }

    private byte[] truncated(byte[] image) {
        return Arrays.copyOf(image, rng.nextInt(image.length));
    }

    private byte[] bitFlipped(byte[] image) {
        byte[] b = image.clone();
        for (int i = 1 + rng.nextInt(16); i > 0; i--) {
            b[rng.nextInt(b.length)] ^= (byte) (1 << rng.nextInt(8));
        }
        return b;
    }
}
