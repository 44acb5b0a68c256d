package dev.workbench.train;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Puts the job's learning-rate schedule into a restored network. A checkpoint holds the schedule the run started
 * with, built for the epochs it was set to then; a run trained on to more epochs ({@code train --resume --epochs N},
 * successive halving) must follow the curve for the new total, or a cosine schedule would stay at its floor.
 */
public final class JobSchedule {
    private JobSchedule() {
    }

    /** {@code network} with every updater of every model it trains following {@code schedule}. */
    public static Network installed(Network network, ISchedule schedule) {
        return network.rebuiltEach((model, inputGradientRead) -> {
            install(model, schedule);
            return model;
        });
    }

    /** Every updater of {@code model} that has a learning rate follows {@code schedule}. */
    public static void install(Model model, ISchedule schedule) {
        // The layers' configurations are the ones the network's configuration holds, so the CPU substitution's
        // rebuild from a clone of that configuration keeps the schedule, and DL4J's updater, reading its
        // configuration each step, follows it too. Every layer gets the same schedule: the blocks group as before.
        Set<IUpdater> updaters = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Layer layer : layers(model)) {
            for (String param : layer.paramTable().keySet()) {
                IUpdater updater = layer.conf().getLayer().getUpdaterByParam(param);
                if (updater != null && updater.hasLearningRate()) {
                    updaters.add(updater);
                }
            }
        }
        updaters.forEach(updater -> updater.setLrAndSchedule(Double.NaN, schedule));
    }

    private static Layer[] layers(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return net.getLayers();
        }
        if (model instanceof ComputationGraph graph) {
            return graph.getLayers();
        }
        throw new IllegalArgumentException("not a DL4J network: " + model.getClass().getName());
    }
}
