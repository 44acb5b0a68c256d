package dev.workbench.models;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a workbench layer that changes how a DL4J layer runs (not what it computes) is made: DL4J's builders only
 * build their own class, so the layer is built with DL4J's builder and its settings copied, every field up the
 * hierarchy, into the workbench subclass; at network build time the subclass attaches its own runtime layer the way
 * DL4J's {@code instantiate} attaches DL4J's.
 */
public final class LayerSettings {
    private LayerSettings() {
    }

    /**
     * Copies every instance field of {@code source} into {@code target}. {@code source} must be exactly
     * {@code type}: a subclass could carry behaviour the copy would silently drop.
     */
    public static <T extends Layer> T copy(Layer source, Class<? extends Layer> type, T target) {
        if (source.getClass() != type) {
            throw new IllegalArgumentException("expected DL4J's " + type.getSimpleName() + ", got " + source.getClass().getName());
        }
        return copyFields(source, type, target);
    }

    /**
     * The DL4J layer {@code type} that a workbench subclass {@code source} of it configures: every field {@code type}
     * declares, up its hierarchy, copied into a new {@code type}; the subclass's own fields, which say only how it
     * runs, are left behind.
     */
    public static <T extends Layer> T plain(Layer source, Class<T> type) {
        if (!type.isInstance(source)) {
            throw new IllegalArgumentException("expected a " + type.getSimpleName() + ", got " + source.getClass().getName());
        }
        try {
            java.lang.reflect.Constructor<T> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return copyFields(source, type, constructor.newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + type.getName() + " without arguments", e);
        }
    }

    private static <T extends Layer> T copyFields(Layer source, Class<?> type, T target) {
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                try {
                    field.set(target, field.get(source));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy layer setting " + c.getSimpleName() + "." + field.getName(), e);
                }
            }
        }
        return target;
    }

    /**
     * What DL4J's {@code instantiate} does with a new runtime layer: listeners (null for none, as DL4J's SameDiff
     * layers get), index, parameter views, configuration.
     */
    public static <L extends org.deeplearning4j.nn.api.Layer> L attach(L runtime, NeuralNetConfiguration conf,
                                                                     Collection<TrainingListener> listeners, int index,
                                                                     INDArray paramsView, boolean initializeParams) {
        runtime.setListeners(listeners);
        runtime.setIndex(index);
        runtime.setParamsViewArray(paramsView);
        runtime.setParamTable(conf.getLayer().initializer().init(conf, paramsView, initializeParams));
        runtime.setConf(conf);
        return runtime;
    }
}
