package dev.workbench.data;

/**
 * Shape of one example's features. Images are stored flattened (row-major, channels first), so
 * {@code features == channels * height * width}; tabular data has {@code channels == 0}.
 */
public record InputShape(int features, int channels, int height, int width) {
    public static InputShape tabular(int features) {
        return new InputShape(features, 0, 0, 0);
    }

    public static InputShape image(int channels, int height, int width) {
        return new InputShape(channels * height * width, channels, height, width);
    }

    public boolean isImage() {
        return channels > 0;
    }

    @Override
    public String toString() {
        return isImage() ? channels + "x" + height + "x" + width : Integer.toString(features);
    }
}
