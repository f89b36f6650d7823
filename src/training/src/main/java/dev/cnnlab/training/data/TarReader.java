package dev.cnnlab.training.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader for ustar/GNU tar streams: regular files only, enough for the CIFAR-10 archive.
 *
 * <p>Usage: call {@link #next()} until it returns null; after each call {@link #read()} returns the
 * current entry's bytes.
 */
final class TarReader {
    private static final int BLOCK = 512;

    private final InputStream in;
    private long remaining;
    private long padding;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** A tar entry: its name and size in bytes. */
    record Entry(String name, long size, boolean regularFile) {
    }

    /** Advances to the next entry, skipping the rest of the current one; null at the end. */
    Entry next() throws IOException {
        skipFully(remaining + padding);
        remaining = 0;
        padding = 0;
        byte[] header = new byte[BLOCK];
        String longName = null;
        while (true) {
            if (!readBlock(header) || isZero(header)) {
                return null;
            }
            String name = string(header, 0, 100);
            long size = octal(header, 124, 12);
            char type = (char) header[156];
            String prefix = string(header, 345, 155);
            if (!prefix.isEmpty() && string(header, 257, 6).startsWith("ustar")) {
                name = prefix + "/" + name;
            }
            long pad = (BLOCK - size % BLOCK) % BLOCK;
            if (type == 'L') { // GNU long name: the next entry's name is this entry's data
                byte[] data = new byte[(int) size];
                readFully(data);
                skipFully(pad);
                longName = string(data, 0, data.length);
                continue;
            }
            if (type == 'x' || type == 'g') { // pax headers: skip
                skipFully(size + pad);
                continue;
            }
            if (longName != null) {
                name = longName;
            }
            remaining = size;
            padding = pad;
            boolean regular = type == '0' || type == 0;
            if (!regular) {
                skipFully(size + pad);
                remaining = 0;
                padding = 0;
            }
            return new Entry(name, size, regular);
        }
    }

    /** Reads all bytes of the current entry. */
    byte[] read() throws IOException {
        if (remaining > Integer.MAX_VALUE - 16) {
            throw new IOException("tar entry too large: " + remaining + " bytes");
        }
        byte[] data = new byte[(int) remaining];
        readFully(data);
        remaining = 0;
        return data;
    }

    private boolean readBlock(byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException("truncated tar header: " + n + " bytes");
        }
        return true;
    }

    private void readFully(byte[] data) throws IOException {
        int n = in.readNBytes(data, 0, data.length);
        if (n < data.length) {
            throw new EOFException("truncated tar entry: " + n + " of " + data.length + " bytes");
        }
    }

    private void skipFully(long n) throws IOException {
        if (n > 0) {
            in.skipNBytes(n);
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String string(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8).trim();
    }

    private static long octal(byte[] b, int off, int len) throws IOException {
        if ((b[off] & 0x80) != 0) { // GNU base-256 size
            long v = b[off] & 0x7f;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (b[i] & 0xff);
            }
            return v;
        }
        String s = string(b, off, len);
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("bad tar size field: '" + s + "'", e);
        }
    }
}
