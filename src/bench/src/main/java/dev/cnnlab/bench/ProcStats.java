package dev.cnnlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Linux /proc readings: CPU time of the machine and of this process, and this process' peak RSS. */
final class ProcStats {
    private ProcStats() {
    }

    /**
     * A CPU snapshot: busy and total jiffies of the whole machine, and this process' utime + stime.
     *
     * @param machineBusy  user + nice + system + irq + softirq jiffies of all CPUs
     * @param machineTotal busy + steal + idle + iowait jiffies of all CPUs
     * @param self         utime + stime of this process (all its threads)
     */
    record CpuSnapshot(long machineBusy, long machineTotal, long self) {
        /** Returns the snapshot now (zeros where /proc cannot be read). */
        static CpuSnapshot now() {
            long busy = 0;
            long total = 0;
            long self = 0;
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long user = Long.parseLong(f[1]);
                long nice = Long.parseLong(f[2]);
                long sys = Long.parseLong(f[3]);
                long idle = Long.parseLong(f[4]);
                long iowait = Long.parseLong(f[5]);
                long irq = Long.parseLong(f[6]);
                long softirq = Long.parseLong(f[7]);
                long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                busy = user + nice + sys + irq + softirq;
                total = busy + steal + idle + iowait;
                String stat = Files.readString(Path.of("/proc/self/stat"));
                String[] s = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                self = Long.parseLong(s[11]) + Long.parseLong(s[12]); // fields 14 and 15: utime, stime
            } catch (IOException | RuntimeException e) {
                // not Linux: every window looks clean
            }
            return new CpuSnapshot(busy, total, self);
        }

        /** Returns how many cores other processes kept busy, on average, since {@code earlier}. */
        double othersCoresSince(CpuSnapshot earlier) {
            double total = machineTotal - earlier.machineTotal;
            if (total <= 0) {
                return 0;
            }
            double jiffiesPerCore = total / Runtime.getRuntime().availableProcessors();
            double busy = (machineBusy - earlier.machineBusy) / jiffiesPerCore;
            double mine = (self - earlier.self) / jiffiesPerCore;
            return Math.max(0, busy - mine);
        }
    }

    /** Returns this process' peak resident set (VmHWM) in MiB, or NaN if unknown. */
    static double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Double.NaN;
    }

    /** Resets the peak resident set to the current one (Linux 4.0+); false if not possible. */
    static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
