package dev.workbench.onnx;

/** Writes one DL4J layer type as ONNX nodes; returns the name of the tensor it produces. */
@FunctionalInterface
public interface LayerRule {
    String emit(LayerExport layer);
}
