package dev.cnnlab.training.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

    @Test
    void knownTwoByTwo() {
        // [[2, 1], [1, 2]]: eigenvalues 3 and 1, eigenvectors (1, 1) and (1, -1) over sqrt 2
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
        assertArrayEquals(new double[] {3, 1}, e.values(), 1e-12);
        double r = 1 / Math.sqrt(2);
        assertEquals(r, Math.abs(e.vectors()[0][0]), 1e-12);
        assertEquals(e.vectors()[0][0], e.vectors()[0][1], 1e-12);
        assertEquals(-e.vectors()[1][0], e.vectors()[1][1], 1e-12);
    }

    @Test
    void decomposesARandomCovarianceSortedAndOrthonormal() {
        int n = 12;
        Random rng = new Random(3);
        double[][] b = new double[n][n];
        for (double[] row : b) {
            for (int j = 0; j < n; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        double[][] a = new double[n][n]; // B B^T: symmetric positive semi-definite, like a covariance
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    a[i][j] += b[i][k] * b[j][k];
                }
            }
        }
        SymmetricEigen e = SymmetricEigen.of(a);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                assertTrue(e.values()[i] <= e.values()[i - 1], "descending at " + i);
            }
            for (int r = 0; r < n; r++) { // A v = lambda v
                double av = 0;
                for (int k = 0; k < n; k++) {
                    av += a[r][k] * e.vectors()[i][k];
                }
                assertEquals(e.values()[i] * e.vectors()[i][r], av, 1e-9, "row " + r + " of vector " + i);
            }
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += e.vectors()[i][k] * e.vectors()[j][k];
                }
                assertEquals(i == j ? 1 : 0, dot, 1e-12, "v" + i + " . v" + j);
            }
        }
    }

    @Test
    void refusesANonSquareMatrix() {
        var ex = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {3}}));
        assertTrue(ex.getMessage().contains("row 1"), ex.getMessage());
    }
}
