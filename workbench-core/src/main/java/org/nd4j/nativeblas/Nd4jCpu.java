package org.nd4j.nativeblas;

/**
 * Works around a DL4J 1.0.0-M2.1 bug: {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, a class that moved to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu}; the lookup fails and DL4J never uses its oneDNN
 * layer helpers, even with the oneDNN natives loaded. This class answers that lookup with the real
 * environment's flag (by reflection, so the CUDA build compiles too). With the helpers on, convolutional networks
 * train and infer several times faster.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The shape DL4J's lookup expects: {@code Environment.getInstance().isUseMKLDNN()}. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            try {
                Class<?> real = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                Object environment = real.getMethod("getInstance").invoke(null);
                return (Boolean) real.getMethod("isUseONEDNN").invoke(environment);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;  // not the CPU backend, or natives without oneDNN: DL4J's built-in layers then run
            }
        }
    }
}
