package dev.cnnlab.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.image.ImageException;
import dev.cnnlab.inference.nn.CnnModel;
import dev.cnnlab.inference.nn.TestNets;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PredictorTest {
    private final Predictor predictor = new Predictor(CnnModel.of(TestNets.smallCnn(9)));

    static byte[] png(int w, int h, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * y % 7 == 0) ? rgb : 0x202020);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void topKIsSortedAndMatchesModelOutput() throws IOException {
        byte[] image = png(50, 40, 0xFF8800);
        List<Prediction> top = predictor.predict(image, 10);
        assertEquals(10, top.size());
        for (int i = 1; i < top.size(); i++) {
            assertTrue(top.get(i - 1).probability() >= top.get(i).probability());
        }
        float[] probs = predictor.model().predict(predictor.preprocessor().preprocess(image));
        int best = 0;
        for (int i = 1; i < probs.length; i++) {
            best = probs[i] > probs[best] ? i : best;
        }
        assertEquals("c" + best, top.get(0).label());
        assertEquals(probs[best], top.get(0).probability());
        assertEquals(top.subList(0, 3), predictor.predict(image, 3));
    }

    @Test
    void predictAllEqualsOneByOne() throws IOException {
        List<byte[]> images = List.of(png(32, 32, 0xFF0000), png(64, 48, 0x00FF00),
                png(10, 10, 0x0000FF));
        List<List<Prediction>> all = predictor.predictAll(images, 2);
        for (int i = 0; i < images.size(); i++) {
            assertEquals(predictor.predict(images.get(i), 2), all.get(i));
        }
    }

    @Test
    void rejectsBadTopKNamingIt() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(new byte[] {1}, 11));
        assertTrue(e.getMessage().contains("11"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> predictor.topK(new float[10], 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }

    @Test
    void rejectsNonImage() {
        assertThrows(ImageException.UnsupportedFormat.class,
                () -> predictor.predict("hello".getBytes(), 1));
    }
}
