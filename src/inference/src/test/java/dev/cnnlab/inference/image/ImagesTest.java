package dev.cnnlab.inference.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import org.junit.jupiter.api.Test;

class ImagesTest {

    /** Encodes a w x h image whose pixel (x, y) is (x, y, 128). */
    static byte[] encode(String format, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x % 256) << 16 | (y % 256) << 8 | 128);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    /** A valid PNG signature and IHDR chunk declaring the given size, with no pixel data. */
    static byte[] pngDeclaring(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes()).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        png.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        return png.array();
    }

    @Test
    void decodesPngAndJpeg() throws IOException {
        BufferedImage png = Images.decode(encode("png", 40, 20));
        assertEquals(40, png.getWidth());
        assertEquals(20, png.getHeight());
        assertEquals(0x050380, png.getRGB(5, 3) & 0xffffff);
        BufferedImage jpeg = Images.decode(encode("jpeg", 33, 31));
        assertEquals(33, jpeg.getWidth());
        assertEquals(31, jpeg.getHeight());
    }

    @Test
    void refusesAbsurdDimensionsBeforeDecoding() {
        var e = assertThrows(ImageException.TooLarge.class,
                () -> Images.decode(pngDeclaring(100_000, 10)));
        assertTrue(e.getMessage().contains("100000x10"), e.getMessage());
        e = assertThrows(ImageException.TooLarge.class,
                () -> Images.decode(pngDeclaring(8000, 8000)));
        assertTrue(e.getMessage().contains("8000x8000"), e.getMessage());
    }

    @Test
    void refusesAbsurdJpegDimensions() throws IOException {
        byte[] jpeg = encode("jpeg", 16, 16);
        // patch the SOF0 frame header: FF C0, length(2), precision(1), height(2), width(2)
        for (int i = 0; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xC0) {
                jpeg[i + 5] = (byte) 0x4E;
                jpeg[i + 6] = (byte) 0x20;
                jpeg[i + 7] = (byte) 0x4E;
                jpeg[i + 8] = (byte) 0x20;
                break;
            }
        }
        var e = assertThrows(ImageException.TooLarge.class, () -> Images.decode(jpeg));
        assertTrue(e.getMessage().contains("20000x20000"), e.getMessage());
    }

    // a 16 x 16 JPEG whose frame header (SOF0 or SOF2) is patched to declare w x h
    static byte[] jpegDeclaring(boolean progressive, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = out.toByteArray();
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

    @Test
    void progressiveJpegsHaveASmallerPixelBudget() throws IOException {
        assertTrue(Images.buffersWholeImage(jpegDeclaring(true, 16, 16)));
        assertFalse(Images.buffersWholeImage(jpegDeclaring(false, 16, 16)));
        // 5000 x 4000 would need 20 M pixels of native coefficient buffers: refused
        var e = assertThrows(ImageException.TooLarge.class,
                () -> Images.decode(jpegDeclaring(true, 5000, 4000)));
        assertTrue(e.getMessage().contains("progressive or multi-scan JPEG declares 5000x4000"),
                e.getMessage());
        // small progressive JPEGs decode as before
        assertEquals(16, Images.decode(jpegDeclaring(true, 16, 16)).getWidth());
    }

    @Test
    void nonImageIsUnsupportedFormat() {
        assertThrows(ImageException.UnsupportedFormat.class,
                () -> Images.decode("{\"not\":\"an image\"}".getBytes()));
        assertThrows(ImageException.UnsupportedFormat.class, () -> Images.decode(new byte[0]));
        assertThrows(ImageException.UnsupportedFormat.class,
                () -> Images.decode(new byte[] {'G', 'I', 'F', '8', '9', 'a', 1, 0}));
    }

    @Test
    void truncatedImageIsCorrupt() throws IOException {
        byte[] png = encode("png", 32, 32);
        assertThrows(ImageException.Corrupt.class,
                () -> Images.decode(Arrays.copyOf(png, png.length / 2)));
        byte[] jpeg = encode("jpeg", 32, 32);
        assertThrows(ImageException.Corrupt.class, () -> Images.decode(Arrays.copyOf(jpeg, 40)));
    }

    @Test
    void largeImagesAreSubsampledWhileDecoding() throws IOException {
        byte[] png = encode("png", 1000, 300);
        // factor min(1000 / 128, 300 / 128) = 2 keeps every second pixel
        BufferedImage img = Images.decode(png, 32, 32);
        assertEquals(500, img.getWidth());
        assertEquals(150, img.getHeight());
        assertEquals(0x020280, img.getRGB(1, 1) & 0xffffff); // source pixel (2, 2)
        assertEquals(1000, Images.decode(png).getWidth());
        assertEquals(1000, Images.decode(png, 300, 300).getWidth());
    }

    @Test
    void exceptionsAreIllegalArgumentExceptions() {
        assertTrue(IllegalArgumentException.class.isAssignableFrom(ImageException.class));
    }
}
