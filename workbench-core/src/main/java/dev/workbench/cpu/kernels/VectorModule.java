package dev.workbench.cpu.kernels;

/**
 * Checks that the JVM runs with the vector API module, which the workbench's Java kernels ({@link FloatLanes})
 * are written on. Holds no vector types itself, so it loads on any JVM.
 */
public final class VectorModule {
    static final String NAME = "jdk.incubator.vector";

    private VectorModule() {
    }

    /** @throws IllegalStateException naming the JVM option to add when the module is missing */
    public static void require() {
        if (ModuleLayer.boot().findModule(NAME).isEmpty()) {
            throw new IllegalStateException("the JVM was started without the " + NAME + " module, which the workbench's "
                    + "layer kernels use: add --add-modules=" + NAME + " to its options (./workbench, the Maven build "
                    + "and benchmarks/run pass it)");
        }
    }
}
