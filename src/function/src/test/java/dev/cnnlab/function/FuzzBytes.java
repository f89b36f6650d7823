package dev.cnnlab.function;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Builders of the bytes {@link FuzzCorpus} sends: images, PNG chunks, multipart bodies. */
final class FuzzBytes {
    private FuzzBytes() {
    }

    // a multipart/form-data body with one file part per array
    static byte[] form(String boundary, List<byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < files.size(); i++) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\";"
                    + " filename=\"f" + i + "\"\r\nContent-Type: image/png\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(files.get(i));
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    // a PNG with an IHDR declaring w x h, then one IDAT chunk holding data
    static byte[] png(int w, int h, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + data.length + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        chunk(b, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h)
                .put(new byte[] {8, 2, 0, 0, 0}).array());
        chunk(b, "IDAT", data);
        chunk(b, "IEND", new byte[0]);
        return b.array();
    }

    private static void chunk(ByteBuffer b, String type, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(type.getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        b.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data)
                .putInt((int) crc.getValue());
    }

    // the PNG with one more chunk right after IHDR
    static byte[] withChunk(byte[] png, String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(png.length + 12 + data.length);
        b.put(png, 0, 33); // signature and IHDR
        chunk(b, type, data);
        b.put(png, 33, png.length - 33);
        return b.array();
    }

    // n zero bytes, deflated (about 1,000 to 1)
    static byte[] deflatedZeros(int n) {
        Deflater d = new Deflater(9);
        byte[] zeros = new byte[1 << 20];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        for (int left = n; left > 0; left -= zeros.length) {
            d.setInput(zeros, 0, Math.min(left, zeros.length));
            while (!d.needsInput()) {
                out.write(buf, 0, d.deflate(buf));
            }
        }
        d.finish();
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    // an image of the given type with varied pixels, alpha included where the type has it
    static BufferedImage picture(int type, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 37 + y * 11) << 24 | (x * 9) << 16 | (y * 13) << 8 | x * y);
            }
        }
        return img;
    }

    static byte[] encode(BufferedImage img, String format, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
