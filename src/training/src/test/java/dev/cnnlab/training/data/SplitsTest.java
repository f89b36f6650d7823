package dev.cnnlab.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitsTest {
    /** 3 classes with 30, 60 and 90 members, interleaved. */
    private static int[] labels() {
        int[] l = new int[180];
        for (int i = 0; i < l.length; i++) {
            l[i] = i % 6 == 0 ? 0 : i % 6 < 3 ? 1 : 2;
        }
        return l;
    }

    private static int[] counts(int[] labels, int[] idx) {
        int[] c = new int[3];
        for (int i : idx) {
            c[labels[i]]++;
        }
        return c;
    }

    @Test
    void foldsAreStratifiedDisjointAndCoverEverything() {
        int[] labels = labels();
        List<Splits.Split> folds = Splits.stratifiedKFold(labels, 5, 11);
        assertEquals(5, folds.size());
        Set<Integer> seen = new HashSet<>();
        for (Splits.Split s : folds) {
            assertArrayEquals(new int[] {6, 12, 18}, counts(labels, s.validation()));
            assertEquals(180, s.train().length + s.validation().length);
            Set<Integer> train = new HashSet<>();
            Arrays.stream(s.train()).forEach(train::add);
            for (int v : s.validation()) {
                assertFalse(train.contains(v), "validation image " + v + " also in training");
                assertTrue(seen.add(v), "image " + v + " in two validation folds");
            }
        }
        assertEquals(180, seen.size());
    }

    @Test
    void everyFoldValidatesOnEveryClassWhenClassCountIsAMultipleOfK() {
        int[] labels = new int[200];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        for (Splits.Split s : Splits.stratifiedKFold(labels, 2, 7)) {
            int[] perClass = new int[10];
            for (int v : s.validation()) {
                perClass[labels[v]]++;
            }
            assertArrayEquals(new int[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, perClass);
        }
    }

    @Test
    void seedDecidesTheSplit() {
        int[] labels = labels();
        assertArrayEquals(Splits.stratifiedKFold(labels, 3, 1).get(0).validation(),
                Splits.stratifiedKFold(labels, 3, 1).get(0).validation());
        assertFalse(Arrays.equals(Splits.stratifiedKFold(labels, 3, 1).get(0).validation(),
                Splits.stratifiedKFold(labels, 3, 2).get(0).validation()));
    }

    @Test
    void subsetAndHoldOutKeepClassShares() {
        int[] labels = labels();
        assertArrayEquals(new int[] {10, 20, 30}, counts(labels, Splits.stratifiedSubset(labels, 60, 3)));
        Splits.Split s = Splits.stratifiedHoldOut(labels, 0.1, 3);
        assertArrayEquals(new int[] {3, 6, 9}, counts(labels, s.validation()));
        assertArrayEquals(new int[] {27, 54, 81}, counts(labels, s.train()));
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        int[] labels = labels();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Splits.stratifiedKFold(labels, 1, 0))
                .getMessage().contains("1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Splits.stratifiedHoldOut(labels, 1.5, 0))
                .getMessage().contains("1.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Splits.stratifiedSubset(labels, 181, 0))
                .getMessage().contains("181"));
    }
}
