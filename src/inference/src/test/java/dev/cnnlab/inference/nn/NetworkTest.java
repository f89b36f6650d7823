package dev.cnnlab.inference.nn;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnlab.inference.format.ModelArchive;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkTest {

    /**
     * No op writes into a buffer that holds a slot still to be read (its own inputs included),
     * every buffer is as large as each slot in it, and the networks need fewer buffers than ops.
     */
    @Test
    void slotsShareBuffersOnlyWhenTheirValuesAreNotNeededAtTheSameTime() {
        for (ModelArchive archive : List.of(TestNets.everyOp(1), TestNets.smallCnn(2))) {
            Network net = Network.compile(archive);
            Op[] ops = net.ops.toArray(new Op[0]);
            for (int i = 0; i < ops.length; i++) {
                int written = net.bufferOf[ops[i].output];
                assertTrue(net.bufferSizes[written] >= net.slotSizes[ops[i].output]);
                for (int j = 0; j < i; j++) {
                    int slot = ops[j].output;
                    if (slot != ops[i].output && stillRead(ops, slot, i, net.outputSlot)) {
                        assertNotEquals(written, net.bufferOf[slot], ops[i].name
                                + " overwrites the values of " + ops[j].name);
                    }
                }
            }
            assertTrue(net.bufferSizes.length < ops.length,
                    net.bufferSizes.length + " buffers for " + ops.length + " ops");
        }
    }

    /** Whether an op from {@code from} on reads the slot, or it is the network's output. */
    private static boolean stillRead(Op[] ops, int slot, int from, int outputSlot) {
        if (slot == outputSlot) {
            return true;
        }
        for (int i = from; i < ops.length; i++) {
            for (int in : ops[i].inputs) {
                if (in == slot) {
                    return true;
                }
            }
        }
        return false;
    }
}
