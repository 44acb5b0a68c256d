package dev.workbench.onnx;

/** A layer (or a setting of one) that has no ONNX rule: export stops rather than write a wrong model. */
public final class UnsupportedLayerException extends RuntimeException {
    public UnsupportedLayerException(int index, String layerType, String what) {
        super("layer " + index + " (" + layerType + "): " + what);
    }
}
