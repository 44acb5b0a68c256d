package dev.workbench.job;

/**
 * Random transforms of training images (validation and test images are never augmented).
 *
 * @param shift          largest translation in pixels, each axis, drawn uniformly; 0 for none
 * @param rotation       largest rotation in degrees either way; 0 for none
 * @param flipHorizontal mirror half the images left-right (only where the data allows: not for digits)
 */
public record AugmentationSpec(Integer shift, Double rotation, Boolean flipHorizontal) {
    public AugmentationSpec {
        shift = shift == null ? 0 : shift;
        rotation = rotation == null ? 0.0 : rotation;
        flipHorizontal = flipHorizontal != null && flipHorizontal;
    }
}
