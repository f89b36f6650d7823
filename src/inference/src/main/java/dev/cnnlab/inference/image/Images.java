package dev.cnnlab.inference.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG and PNG images with {@code javax.imageio}, reading the declared width and height
 * first and refusing absurd sizes before any pixel is decompressed (decompression bombs).
 *
 * <p>Decoding needs memory for the (subsampled) raster and a few rows, except for progressive
 * and multi-scan JPEGs: for those libjpeg keeps the DCT coefficients of the whole image in
 * native memory, 2 bytes per sample (up to 6 bytes per pixel), so their budget is smaller.
 */
public final class Images {
    /** Largest accepted width or height. */
    public static final int MAX_SIDE = 8192;
    /** Largest accepted width * height. */
    public static final long MAX_PIXELS = 40_000_000L;
    /** Largest accepted width * height of a progressive or multi-scan JPEG (96 MB native). */
    public static final long MAX_BUFFERED_JPEG_PIXELS = 16_000_000L;

    static {
        ImageIO.setUseCache(false);
    }

    private Images() {
    }

    /**
     * Decodes an image after checking its declared size against {@link #MAX_SIDE} and
     * {@link #MAX_PIXELS}.
     *
     * @param bytes the encoded image
     * @return the decoded image
     * @throws ImageException.UnsupportedFormat if the bytes are not a JPEG or PNG
     * @throws ImageException.TooLarge if the declared dimensions exceed the limits
     * @throws ImageException.Corrupt if decoding fails
     */
    public static BufferedImage decode(byte[] bytes) {
        return decode(bytes, 0, 0);
    }

    /**
     * Decodes an image as {@link #decode(byte[])} does, but lets the decoder skip pixels of an
     * image far larger than needed: it keeps every s-th pixel, with s the largest factor that
     * leaves at least 4 x {@code minWidth} by 4 x {@code minHeight} pixels (a 4000 x 3000 photo
     * for a 32 x 32 model decodes to about 133 x 130, not a 48 MB raster).
     *
     * @param bytes the encoded image
     * @param minWidth the width the caller will resample to (0 = decode everything)
     * @param minHeight the height the caller will resample to (0 = decode everything)
     * @return the decoded, possibly subsampled image
     */
    public static BufferedImage decode(byte[] bytes, int minWidth, int minHeight) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageException.UnsupportedFormat("empty body: expected a JPEG or PNG image");
        }
        String format = sniff(bytes);
        if (format == null) {
            throw new ImageException.UnsupportedFormat("not a JPEG or PNG image (first bytes "
                    + hex(bytes) + ")");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
            if (!readers.hasNext()) {
                throw new ImageException.UnsupportedFormat("no " + format + " decoder available");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkSize(width, height);
                if (format.equals("jpeg") && (long) width * height > MAX_BUFFERED_JPEG_PIXELS
                        && buffersWholeImage(bytes)) {
                    throw new ImageException.TooLarge("progressive or multi-scan JPEG declares "
                            + width + "x" + height + " pixels; the limit for those is "
                            + MAX_BUFFERED_JPEG_PIXELS + " in all");
                }
                javax.imageio.ImageReadParam param = reader.getDefaultReadParam();
                int step = subsampling(width, height, minWidth, minHeight);
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                BufferedImage image = reader.read(0, param);
                if (image == null) {
                    throw new ImageException.Corrupt("the " + format + " decoder returned nothing",
                            null);
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (ImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageException.Corrupt("broken " + format + " image: " + e.getMessage(), e);
        }
    }

    /**
     * Whether libjpeg must buffer the whole image's coefficients: the frame is progressive (SOF2,
     * SOF6, SOF10, SOF14) or the first scan holds fewer components than the frame. Walks the
     * marker segments up to the first scan; a malformed stream answers false and is left to the
     * decoder to reject.
     *
     * @param b a JPEG file
     * @return true for a progressive or multi-scan JPEG
     */
    static boolean buffersWholeImage(byte[] b) {
        boolean progressive = false;
        int frameComponents = Integer.MAX_VALUE;
        int i = 2; // after SOI
        while (i + 4 < b.length && (b[i] & 0xff) == 0xFF) {
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8
                    && marker != 0xCC;
            if (sof && i + 9 < b.length) {
                progressive = (marker & 0x03) == 0x02;
                frameComponents = b[i + 9] & 0xff;
            } else if (marker == 0xDA) {
                return progressive || (b[i + 4] & 0xff) < frameComponents;
            }
            i += 2 + ((b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff));
        }
        return progressive;
    }

    static int subsampling(int width, int height, int minWidth, int minHeight) {
        if (minWidth <= 0 || minHeight <= 0) {
            return 1;
        }
        return Math.max(1, Math.min(width / (4 * minWidth), height / (4 * minHeight)));
    }

    /**
     * Checks declared dimensions against the limits.
     *
     * @param width the declared width
     * @param height the declared height
     * @throws ImageException.TooLarge if either side or their product is too large
     */
    public static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new ImageException.Corrupt("image declares size " + width + "x" + height, null);
        }
        if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
            throw new ImageException.TooLarge("image declares " + width + "x" + height
                    + " pixels; the limit is " + MAX_SIDE + " per side and " + MAX_PIXELS
                    + " in all");
        }
    }

    /**
     * Returns "jpeg" or "png" from the file's magic bytes, or null for anything else.
     *
     * @param b the first bytes of a file
     * @return the format name, or null
     */
    public static String sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8
                && (b[2] & 0xff) == 0xFF) {
            return "jpeg";
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return "png";
        }
        return null;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            sb.append(String.format(Locale.ROOT, "%02x", b[i] & 0xff));
        }
        return sb.toString();
    }
}
