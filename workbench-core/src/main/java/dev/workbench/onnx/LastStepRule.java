package dev.workbench.onnx;

import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;

/**
 * The last time step of a recurrent output: DL4J's LastTimeStep wrapper (the wrapped layer's own rule, then the
 * last step) and the workbench's LastStep: step T-1, or where the graph masks padding each row's last real step.
 */
final class LastStepRule implements LayerRule {
    private final ExportRules rules;

    LastStepRule(ExportRules rules) {
        this.rules = rules;
    }

    @Override
    public String emit(LayerExport layer) {
        String sequence = layer.input();
        if (layer.layer() instanceof LastTimeStep wrapper) {
            // DL4J's wrapper shares the wrapped layer's parameter names.
            LayerExport inner = new LayerExport(layer.graph(), layer.index(), wrapper.getUnderlying(), layer.params(),
                    layer.input(), layer.inputType(), false);
            sequence = rules.forLayer(layer.index(), wrapper.getUnderlying()).emit(inner);
        }
        return RecurrentOnnx.lastStep(layer.graph(), "layer" + layer.index(), sequence);
    }
}
