package dev.workbench.onnx;

import java.util.Locale;

/** DL4J and ONNX Runtime disagree beyond tolerance: the export is not trustworthy. */
public final class OnnxParityException extends RuntimeException {
    public OnnxParityException(OnnxParityCheck.Report report) {
        super(String.format(Locale.ROOT, "ONNX export rejected: on %d test inputs max |DL4J - ONNX Runtime| = %.3g, "
                        + "max relative = %.3g, above tolerance rtol %.0e + atol %.0e (see onnx-parity.json)",
                report.samples(), report.maxAbsDiff(), report.maxRelDiff(), report.rtol(), report.atol()));
    }
}
