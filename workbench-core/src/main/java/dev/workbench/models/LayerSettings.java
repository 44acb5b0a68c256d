package dev.workbench.models;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Copies a DL4J layer configuration's settings into an instance of a subclass. DL4J's builders only build their own
 * class, so a workbench layer that changes how a DL4J layer runs (not what it computes) is built with DL4J's builder
 * and then copied, every field up the hierarchy, so no setting is lost.
 */
public final class LayerSettings {
    private LayerSettings() {
    }

    /** Copies every instance field {@code source}'s class and its superclasses declare into {@code target}. */
    public static <T extends Layer> T copy(Layer source, T target) {
        if (!source.getClass().isInstance(target)) {
            throw new IllegalArgumentException(target.getClass().getSimpleName() + " is not a "
                    + source.getClass().getSimpleName() + ": cannot take its settings");
        }
        for (Class<?> type = source.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                try {
                    field.set(target, field.get(source));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy layer setting " + type.getSimpleName() + "." + field.getName(), e);
                }
            }
        }
        return target;
    }
}
