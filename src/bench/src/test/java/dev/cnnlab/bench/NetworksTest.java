package dev.cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The parameter count the airbench94 peer overlay (src/bench/peer, Airbench94Bench) checks its DJL network against. */
class NetworksTest {
    @Test
    void airbench94HasTheParameterCountThePeerOverlayExpects() {
        long convolutionsAndLinear = (3 * 4 * 24 + 24) + (24 * 9 * 64 + 64) + (64 * 9 * 64 + 64)
                + (64 * 9 * 256 + 256) + 3L * (256 * 9 * 256 + 256) + 256 * 10;
        long batchNormChannels = 2 * 64 + 4 * 256;
        assertEquals(1_971_640, convolutionsAndLinear);
        // DL4J counts BN's scale, shift, running mean and running variance as parameters
        assertEquals(convolutionsAndLinear + 4 * batchNormChannels, Networks.dl4j("airbench94").numParams());
    }
}
