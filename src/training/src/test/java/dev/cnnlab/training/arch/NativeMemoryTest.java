package dev.cnnlab.training.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
    private static final Path ROOT = Path.of("../..");

    @Test
    void theBuildStartsTestJvmsWithTheSettings() {
        assertTrue(NativeMemory.inEffect(), () -> "surefire's environmentVariables (pom.xml) differ from "
                + NativeMemory.line());
    }

    @Test
    void everyCopyInTheContainerFilesAndThePomMatches() throws IOException {
        for (String file : List.of("deploy/tracker/Dockerfile.cpu", "deploy/tracker/Dockerfile.cuda")) {
            String text = Files.readString(ROOT.resolve(file));
            assertTrue(text.contains("ENV " + NativeMemory.line() + "\n"), file + " lacks ENV " + NativeMemory.line());
        }
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        for (Map.Entry<String, String> e : NativeMemory.ENVIRONMENT.entrySet()) {
            String element = "<" + e.getKey() + ">" + e.getValue() + "</" + e.getKey() + ">";
            assertTrue(pom.contains(element), "pom.xml lacks " + element);
        }
    }

    @Test
    void mainPrintsOneAssignmentPerLineForShellExport() {
        PrintStream out = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes));
        try {
            NativeMemory.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        assertEquals(NativeMemory.line().replace(' ', '\n') + "\n", bytes.toString());
    }
}
