package dev.cnnlab.training.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.logging.Logger;

/** Downloads the official CIFAR-10 binary archive into a cache folder and checks its MD5. */
public final class Cifar10Download {
    /** Where the archive is published. */
    public static final URI URL = URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    /** The published MD5 of the archive. */
    public static final String MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    /** The archive's file name in the cache folder. */
    public static final String FILE_NAME = "cifar-10-binary.tar.gz";

    private static final Logger LOG = Logger.getLogger(Cifar10Download.class.getName());

    private Cifar10Download() {
    }

    /**
     * Returns the verified archive in {@code cacheDir}, downloading it first if absent.
     *
     * @param cacheDir the cache folder
     * @return the archive path
     * @throws IOException if the download fails or the MD5 does not match
     */
    public static Path ensure(Path cacheDir) throws IOException {
        Path target = cacheDir.resolve(FILE_NAME);
        if (Files.exists(target)) {
            verifyMd5(target, MD5);
            return target;
        }
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempFile(cacheDir, FILE_NAME, ".part");
        try {
            LOG.info(() -> "downloading " + URL + " to " + target);
            HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(30)).build();
            HttpResponse<Path> resp;
            try {
                resp = client.send(HttpRequest.newBuilder(URL).GET().build(),
                        HttpResponse.BodyHandlers.ofFile(tmp));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("download of " + URL + " interrupted", e);
            }
            if (resp.statusCode() != 200) {
                throw new IOException("download of " + URL + " failed with HTTP " + resp.statusCode());
            }
            verifyMd5(tmp, MD5);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Checks a file's MD5.
     *
     * @param file        the file
     * @param expectedHex the expected digest, lower- or upper-case hex
     * @throws IOException if the file cannot be read or its digest differs (both digests in the message)
     */
    public static void verifyMd5(Path file, String expectedHex) throws IOException {
        String actual = md5Hex(file);
        if (!actual.equalsIgnoreCase(expectedHex)) {
            throw new IOException("MD5 mismatch for " + file + ": expected " + expectedHex + ", got " + actual);
        }
    }

    /** Returns a file's MD5 as lower-case hex. */
    public static String md5Hex(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStreamSink.INSTANCE);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Discards bytes (digest streams only need reading). */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
