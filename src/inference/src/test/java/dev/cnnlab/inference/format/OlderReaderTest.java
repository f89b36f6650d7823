package dev.cnnlab.inference.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * Runs the reader as it was before {@code hflip-translate} (the {@code format} package compiled
 * at commit 2aab8fd, which knew {@code none} and {@code hflip}) on the golden files: it reads the
 * plain one and refuses the hflip-translate one, naming the value, rather than running it without
 * its views. The jar was made with {@code ./mvnw -o -pl src/inference compile} at that commit and
 * {@code jar cf format-v1-reader-2aab8fd.jar -C src/inference/target/classes dev/cnnlab/inference/format}.
 */
class OlderReaderTest {
    private static final String READER = "format-v1-reader-2aab8fd.jar";

    /** Loads {@code dev.cnnlab} classes from the old jar only; Jackson comes from the test's classpath. */
    private static ClassLoader olderReader() {
        URL jar = OlderReaderTest.class.getResource(READER);
        return new URLClassLoader(new URL[] {jar}, OlderReaderTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.startsWith("dev.cnnlab.")) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
            }
        };
    }

    /** {@code ModelFile.read(in, sha256)} of the old reader. */
    private static Object readWithOlderReader(String golden) throws Throwable {
        Class<?> modelFile = olderReader().loadClass(ModelFile.class.getName());
        assertTrue(modelFile.getClassLoader() != ModelFile.class.getClassLoader(), "the old class, not ours");
        Method read = modelFile.getMethod("read", InputStream.class, String.class);
        try (InputStream in = OlderReaderTest.class.getResourceAsStream(golden)) {
            return read.invoke(null, in, null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void olderReaderReadsThePlainGoldenFile() throws Throwable {
        Object archive = readWithOlderReader(GoldenModelTest.GOLDEN_V1);
        Object metadata = archive.getClass().getMethod("metadata").invoke(archive);
        assertEquals("small-cnn-golden", metadata.getClass().getMethod("name").invoke(metadata));
    }

    @Test
    void olderReaderRefusesHflipTranslateNamingIt() {
        Throwable e = assertThrows(IllegalArgumentException.class,
                () -> readWithOlderReader(GoldenModelTest.GOLDEN_V1_TRANSLATE));
        assertEquals(ModelFormatException.class.getName(), e.getClass().getName());
        assertTrue(e.getClass() != ModelFormatException.class, "thrown by the old reader");
        assertEquals("unknown test-time augmentation 'hflip-translate' (known: [none, hflip])",
                e.getMessage());
    }
}
