package dev.workbench.job;

/**
 * Random transforms of training images (validation and test images are never augmented).
 *
 * @param shift          largest translation in pixels, each axis, drawn uniformly; 0 for none
 * @param rotation       largest rotation in degrees either way; 0 for none
 * @param flipHorizontal mirror half the images left-right (only where the data allows: not for digits)
 * @param prefetch       augmented batches prepared ahead on a background thread while the network trains
 *                       (default 4); 0 augments each batch on the training thread
 */
public record AugmentationSpec(Integer shift, Double rotation, Boolean flipHorizontal, Integer prefetch) {
    public static final int DEFAULT_PREFETCH = 4;

    public AugmentationSpec {
        shift = shift == null ? 0 : shift;
        rotation = rotation == null ? 0.0 : rotation;
        flipHorizontal = flipHorizontal != null && flipHorizontal;
        prefetch = prefetch == null ? DEFAULT_PREFETCH : prefetch;
    }

    public AugmentationSpec(Integer shift, Double rotation, Boolean flipHorizontal) {
        this(shift, rotation, flipHorizontal, null);
    }
}
