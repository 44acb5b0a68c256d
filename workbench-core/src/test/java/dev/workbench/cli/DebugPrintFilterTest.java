package dev.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DebugPrintFilterTest {
    @Test
    void dropsSameDiffDebugLinesAndKeepsEverythingElse() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = DebugPrintFilter.around(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        out.println("training x");
        out.println("Added differentiated op matmul");
        out.print("epoch 1/2 ");
        out.flush();
        out.print("\rAdded differentiated op? no: a progress bar\n");
        out.println("Added differentiated op add");
        out.println("done");
        assertEquals("training x\nepoch 1/2 \rAdded differentiated op? no: a progress bar\ndone\n",
                bytes.toString(StandardCharsets.UTF_8));
    }
}
